-- CreateEnum
CREATE TYPE "Level" AS ENUM ('EH2', 'EH2+', 'EH3', 'EH4');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('user', 'backoffice');

-- CreateEnum
CREATE TYPE "MeansStatus" AS ENUM ('requested', 'active', 'suspended', 'revoked', 'expired');

-- CreateEnum
CREATE TYPE "MandateKind" AS ENUM ('use', 'admin');

-- CreateEnum
CREATE TYPE "MandateScope" AS ENUM ('service', 'provider', 'all');

-- CreateEnum
CREATE TYPE "MandateStatus" AS ENUM ('active', 'pending', 'expired', 'revoked', 'suspended');

-- CreateEnum
CREATE TYPE "Authority" AS ENUM ('sole', 'joint', 'limited');

-- CreateEnum
CREATE TYPE "ApplicationType" AS ENUM ('new_means', 'upgrade', 'mandates', 'renewal', 'admin_appointment');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('awaiting_signature', 'signed', 'awaiting_identity_check', 'issued', 'rejected', 'cancelled');

-- CreateEnum
CREATE TYPE "SignerType" AS ENUM ('admin', 'legal_representative');

-- CreateEnum
CREATE TYPE "LinkRequestStatus" AS ENUM ('pending', 'accepted', 'rejected', 'lapsed', 'cancelled');

-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('pending', 'sending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "organisations" (
    "id" UUID NOT NULL,
    "kvk_number" CHAR(8) NOT NULL,
    "rsin" CHAR(9),
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organisations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "branches" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "branch_number" CHAR(12) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "city" VARCHAR(100),

    CONSTRAINT "branches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "first_name" VARCHAR(100) NOT NULL,
    "last_name_prefix" VARCHAR(20),
    "last_name" VARCHAR(100) NOT NULL,
    "date_of_birth" DATE NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "email_key" VARCHAR(254) NOT NULL DEFAULT '',
    "mobile" VARCHAR(20),
    "password_hash" TEXT,
    "totp_secret" TEXT,
    "totp_enabled_at" TIMESTAMPTZ(3),
    "role" "UserRole" NOT NULL DEFAULT 'user',
    "locale" VARCHAR(5) NOT NULL DEFAULT 'nl',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recovery_codes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "means" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "level" "Level" NOT NULL,
    "status" "MeansStatus" NOT NULL DEFAULT 'requested',
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "means_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organisation_links" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organisation_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_providers" (
    "id" UUID NOT NULL,
    "oin" CHAR(20) NOT NULL,
    "name" VARCHAR(200) NOT NULL,

    CONSTRAINT "service_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "service_id" VARCHAR(120) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "description" VARCHAR(1024) NOT NULL DEFAULT '',
    "required_level" "Level" NOT NULL,
    "refuses_branch_restriction" BOOLEAN NOT NULL DEFAULT false,
    "provider_id" UUID NOT NULL,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mandates" (
    "id" UUID NOT NULL,
    "kind" "MandateKind" NOT NULL DEFAULT 'use',
    "user_id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "scope" "MandateScope" NOT NULL,
    "service_id" UUID,
    "provider_id" UUID,
    "level" "Level" NOT NULL,
    "branch_id" UUID,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "status" "MandateStatus" NOT NULL DEFAULT 'active',
    "scope_key" VARCHAR(60) NOT NULL DEFAULT '',
    "live" BOOLEAN,
    "granted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mandates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chain_mandates" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "intermediary_organisation_id" UUID NOT NULL,
    "scope" "MandateScope" NOT NULL,
    "service_id" UUID,
    "provider_id" UUID,
    "level" "Level" NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "status" "MandateStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_mandates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_representatives" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "authority" "Authority" NOT NULL,

    CONSTRAINT "legal_representatives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "applications" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "type" "ApplicationType" NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'awaiting_signature',
    "level" "Level",
    "term_years" INTEGER,
    "subject_user_id" UUID,
    "requested_by_id" UUID,
    "rejection_reason" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_items" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "details" JSONB NOT NULL,

    CONSTRAINT "application_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_signatures" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "signer_type" "SignerType" NOT NULL,
    "admin_user_id" UUID,
    "legal_representative_id" UUID,
    "signed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "application_signatures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "link_requests" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "requested_by_id" UUID,
    "status" "LinkRequestStatus" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "link_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_tokens" (
    "id" UUID NOT NULL,
    "purpose" VARCHAR(40) NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "subject" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" VARCHAR(254) NOT NULL,
    "action" VARCHAR(60) NOT NULL,
    "organisation_id" UUID,
    "subject_type" VARCHAR(40) NOT NULL,
    "subject_id" VARCHAR(60),
    "before" JSONB,
    "after" JSONB,
    "ip_address" VARCHAR(45),
    "request_id" VARCHAR(64),

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outgoing_mail" (
    "id" UUID NOT NULL,
    "idempotency_key" VARCHAR(200) NOT NULL,
    "to_address" VARCHAR(254) NOT NULL,
    "template" VARCHAR(60) NOT NULL,
    "locale" VARCHAR(5) NOT NULL DEFAULT 'nl',
    "data" JSONB NOT NULL,
    "status" "MailStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(2000),
    "message_id" VARCHAR(300),
    "subject" VARCHAR(300),
    "text_body" TEXT,
    "html_body" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outgoing_mail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSONB NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "organisations_kvk_number_key" ON "organisations"("kvk_number");

-- CreateIndex
CREATE UNIQUE INDEX "organisations_rsin_key" ON "organisations"("rsin");

-- CreateIndex
CREATE INDEX "organisations_name_idx" ON "organisations"("name");

-- CreateIndex
CREATE UNIQUE INDEX "branches_branch_number_key" ON "branches"("branch_number");

-- CreateIndex
CREATE INDEX "branches_organisation_id_idx" ON "branches"("organisation_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key_key" ON "users"("email_key");

-- CreateIndex
CREATE INDEX "users_last_name_first_name_idx" ON "users"("last_name", "first_name");

-- CreateIndex
CREATE INDEX "recovery_codes_user_id_idx" ON "recovery_codes"("user_id");

-- CreateIndex
CREATE INDEX "means_user_id_status_idx" ON "means"("user_id", "status");

-- CreateIndex
CREATE INDEX "means_status_valid_until_idx" ON "means"("status", "valid_until");

-- CreateIndex
CREATE INDEX "organisation_links_organisation_id_user_id_idx" ON "organisation_links"("organisation_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "organisation_links_user_id_organisation_id_key" ON "organisation_links"("user_id", "organisation_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_providers_oin_key" ON "service_providers"("oin");

-- CreateIndex
CREATE UNIQUE INDEX "services_service_id_key" ON "services"("service_id");

-- CreateIndex
CREATE INDEX "services_provider_id_idx" ON "services"("provider_id");

-- CreateIndex
CREATE INDEX "services_name_idx" ON "services"("name");

-- CreateIndex
CREATE INDEX "mandates_organisation_id_status_valid_until_id_idx" ON "mandates"("organisation_id", "status", "valid_until", "id");

-- CreateIndex
CREATE INDEX "mandates_organisation_id_valid_until_id_idx" ON "mandates"("organisation_id", "valid_until", "id");

-- CreateIndex
CREATE INDEX "mandates_user_id_status_idx" ON "mandates"("user_id", "status");

-- CreateIndex
CREATE INDEX "mandates_status_valid_until_idx" ON "mandates"("status", "valid_until");

-- CreateIndex
CREATE INDEX "mandates_service_id_idx" ON "mandates"("service_id");

-- CreateIndex
CREATE UNIQUE INDEX "mandates_one_live_per_scope" ON "mandates"("user_id", "organisation_id", "kind", "scope_key", "live");

-- CreateIndex
CREATE INDEX "chain_mandates_organisation_id_idx" ON "chain_mandates"("organisation_id");

-- CreateIndex
CREATE INDEX "chain_mandates_intermediary_organisation_id_idx" ON "chain_mandates"("intermediary_organisation_id");

-- CreateIndex
CREATE INDEX "legal_representatives_organisation_id_idx" ON "legal_representatives"("organisation_id");

-- CreateIndex
CREATE INDEX "applications_organisation_id_status_created_at_idx" ON "applications"("organisation_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "applications_status_created_at_idx" ON "applications"("status", "created_at");

-- CreateIndex
CREATE INDEX "applications_subject_user_id_idx" ON "applications"("subject_user_id");

-- CreateIndex
CREATE INDEX "application_items_application_id_idx" ON "application_items"("application_id");

-- CreateIndex
CREATE UNIQUE INDEX "application_signatures_application_id_legal_representative__key" ON "application_signatures"("application_id", "legal_representative_id");

-- CreateIndex
CREATE UNIQUE INDEX "application_signatures_application_id_admin_user_id_key" ON "application_signatures"("application_id", "admin_user_id");

-- CreateIndex
CREATE INDEX "link_requests_organisation_id_status_created_at_idx" ON "link_requests"("organisation_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "link_requests_user_id_status_idx" ON "link_requests"("user_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "action_tokens_token_hash_key" ON "action_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "action_tokens_expires_at_idx" ON "action_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "audit_events_organisation_id_at_idx" ON "audit_events"("organisation_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_at_idx" ON "audit_events"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_subject_type_subject_id_idx" ON "audit_events"("subject_type", "subject_id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE UNIQUE INDEX "outgoing_mail_idempotency_key_key" ON "outgoing_mail"("idempotency_key");

-- CreateIndex
CREATE INDEX "outgoing_mail_status_next_attempt_at_idx" ON "outgoing_mail"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outgoing_mail_created_at_idx" ON "outgoing_mail"("created_at");

-- CreateIndex
CREATE INDEX "IDX_session_expire" ON "session"("expire");

-- AddForeignKey
ALTER TABLE "branches" ADD CONSTRAINT "branches_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "means" ADD CONSTRAINT "means_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organisation_links" ADD CONSTRAINT "organisation_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "organisation_links" ADD CONSTRAINT "organisation_links_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "service_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "service_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_branch_id_fkey" FOREIGN KEY ("branch_id") REFERENCES "branches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_intermediary_organisation_id_fkey" FOREIGN KEY ("intermediary_organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_representatives" ADD CONSTRAINT "legal_representatives_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_subject_user_id_fkey" FOREIGN KEY ("subject_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_items" ADD CONSTRAINT "application_items_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_signatures" ADD CONSTRAINT "application_signatures_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_signatures" ADD CONSTRAINT "application_signatures_admin_user_id_fkey" FOREIGN KEY ("admin_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_signatures" ADD CONSTRAINT "application_signatures_legal_representative_id_fkey" FOREIGN KEY ("legal_representative_id") REFERENCES "legal_representatives"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
