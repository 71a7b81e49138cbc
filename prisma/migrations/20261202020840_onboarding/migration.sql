-- CreateEnum
CREATE TYPE "RegistrationKind" AS ENUM ('customer', 'admin_appointment');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('awaiting_signature', 'completed', 'lapsed', 'cancelled');

-- AlterTable
ALTER TABLE "organisations" ADD COLUMN     "blocked_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "registrations" (
    "id" UUID NOT NULL,
    "kind" "RegistrationKind" NOT NULL,
    "kvk_number" CHAR(8) NOT NULL,
    "profile" JSONB NOT NULL,
    "admin" JSONB NOT NULL,
    "level" "Level" NOT NULL,
    "representatives" JSONB NOT NULL,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'awaiting_signature',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "organisation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "registrations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "registrations_kvk_number_status_idx" ON "registrations"("kvk_number", "status");

-- CreateIndex
CREATE INDEX "registrations_status_expires_at_idx" ON "registrations"("status", "expires_at");

-- Hand-written (rule 23): a registration names a KvK number in the register's format.
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_kvk_number_format" CHECK ("kvk_number" ~ '^[0-9]{8}$');
