-- AlterTable
ALTER TABLE "link_requests" ADD COLUMN     "email" VARCHAR(254),
ALTER COLUMN "user_id" DROP NOT NULL;
