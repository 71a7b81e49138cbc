-- AlterTable
ALTER TABLE "action_tokens" ADD COLUMN     "superseded_at" TIMESTAMPTZ(3);
