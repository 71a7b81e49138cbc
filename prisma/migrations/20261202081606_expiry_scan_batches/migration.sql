-- AlterTable
ALTER TABLE "job_runs" ADD COLUMN     "progress" JSONB;

-- CreateTable
CREATE TABLE "expiry_digest_items" (
    "organisation_id" UUID NOT NULL,
    "notice_key" VARCHAR(200) NOT NULL,
    "day" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "holder_name" TEXT NOT NULL,
    "item" JSONB NOT NULL,

    CONSTRAINT "expiry_digest_items_pkey" PRIMARY KEY ("organisation_id","notice_key")
);
