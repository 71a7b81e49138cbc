-- AlterTable
ALTER TABLE "chain_mandates" ADD COLUMN     "granted_by_id" UUID,
ADD COLUMN     "live" BOOLEAN,
ADD COLUMN     "revoked_at" TIMESTAMPTZ(3),
ADD COLUMN     "scope_key" VARCHAR(60) NOT NULL DEFAULT '',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "chain_assignments" (
    "id" UUID NOT NULL,
    "chain_mandate_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "scope" "MandateScope" NOT NULL,
    "service_id" UUID,
    "provider_id" UUID,
    "level" "Level" NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "status" "MandateStatus" NOT NULL DEFAULT 'active',
    "scope_key" VARCHAR(60) NOT NULL DEFAULT '',
    "live" BOOLEAN,
    "granted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chain_assignments_user_id_status_idx" ON "chain_assignments"("user_id", "status");

-- CreateIndex
CREATE INDEX "chain_assignments_chain_mandate_id_status_idx" ON "chain_assignments"("chain_mandate_id", "status");

-- CreateIndex
CREATE INDEX "chain_assignments_service_id_idx" ON "chain_assignments"("service_id");

-- CreateIndex
CREATE UNIQUE INDEX "chain_assignments_one_live_per_scope" ON "chain_assignments"("chain_mandate_id", "user_id", "scope_key", "live");

-- CreateIndex
CREATE INDEX "chain_mandates_intermediary_organisation_id_status_valid_un_idx" ON "chain_mandates"("intermediary_organisation_id", "status", "valid_until");

-- CreateIndex
CREATE UNIQUE INDEX "chain_mandates_one_live_per_scope" ON "chain_mandates"("organisation_id", "intermediary_organisation_id", "scope_key", "live");

-- AddForeignKey
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_chain_mandate_id_fkey" FOREIGN KEY ("chain_mandate_id") REFERENCES "chain_mandates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "service_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules of the ketenmachtiging (domain.md rule 20), held by the database as well.
-- An organisation cannot chain to itself.
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_not_to_itself" CHECK ("organisation_id" <> "intermediary_organisation_id");
-- EH3 or higher, for the chain and for every assignment under it.
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_level_eh3" CHECK ("level" >= 'EH3');
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_level_eh3" CHECK ("level" >= 'EH3');
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_term" CHECK ("valid_until" > "valid_from");
ALTER TABLE "chain_assignments" ADD CONSTRAINT "chain_assignments_scope_target" CHECK (
  ("scope" = 'service' AND "service_id" IS NOT NULL AND "provider_id" IS NULL) OR
  ("scope" = 'provider' AND "provider_id" IS NOT NULL AND "service_id" IS NULL) OR
  ("scope" = 'all' AND "service_id" IS NULL AND "provider_id" IS NULL)
);

-- Terms: at most 5 years ahead (rule 4), as for mandates.
CREATE TRIGGER "chain_mandates_term_max" BEFORE INSERT OR UPDATE OF "valid_from", "valid_until" ON "chain_mandates"
  FOR EACH ROW EXECUTE FUNCTION "check_term_at_most_five_years"();
CREATE TRIGGER "chain_assignments_term_max" BEFORE INSERT OR UPDATE OF "valid_from", "valid_until" ON "chain_assignments"
  FOR EACH ROW EXECUTE FUNCTION "check_term_at_most_five_years"();

-- One live chain per client + intermediary + scope, one live assignment per chain + person + scope:
-- the same keys as mandates (scope_key, live), kept by the same trigger function.
CREATE TRIGGER "chain_mandates_keys" BEFORE INSERT OR UPDATE ON "chain_mandates"
  FOR EACH ROW EXECUTE FUNCTION "mandates_set_keys"();
CREATE TRIGGER "chain_assignments_keys" BEFORE INSERT OR UPDATE ON "chain_assignments"
  FOR EACH ROW EXECUTE FUNCTION "mandates_set_keys"();
UPDATE "chain_mandates" SET "status" = "status";

-- An assignment: a person linked to the intermediary, within the chain's scope, level and term;
-- while active, at most the holder's active means (rule 1) and at least a chosen service's level (rule 5).
CREATE FUNCTION "chain_assignments_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c "chain_mandates"%ROWTYPE;
  service_provider uuid;
BEGIN
  SELECT * INTO c FROM "chain_mandates" WHERE "id" = NEW."chain_mandate_id";
  IF NOT EXISTS (SELECT 1 FROM "organisation_links" l WHERE l."user_id" = NEW."user_id" AND l."organisation_id" = c."intermediary_organisation_id") THEN
    RAISE EXCEPTION 'the assigned person is not linked to the intermediary' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."level" > c."level" THEN
    RAISE EXCEPTION 'assignment level % is above the chain''s level %', NEW."level", c."level" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."valid_until" > c."valid_until" THEN
    RAISE EXCEPTION 'assignment runs beyond the chain (% > %)', NEW."valid_until", c."valid_until" USING ERRCODE = 'check_violation';
  END IF;
  SELECT s."provider_id" INTO service_provider FROM "services" s WHERE s."id" = NEW."service_id";
  IF NOT (c."scope" = 'all'
      OR (c."scope" = 'provider' AND (NEW."provider_id" = c."provider_id" OR service_provider = c."provider_id"))
      OR (c."scope" = 'service' AND NEW."scope" = 'service' AND NEW."service_id" = c."service_id")) THEN
    RAISE EXCEPTION 'assignment outside the chain''s scope' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."status" = 'active' AND NOT EXISTS (
    SELECT 1 FROM "means" m WHERE m."user_id" = NEW."user_id" AND m."status" = 'active' AND m."level" >= NEW."level"
  ) THEN
    RAISE EXCEPTION 'assignment level % is above the level of the holder''s active means', NEW."level" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."scope" = 'service' AND EXISTS (SELECT 1 FROM "services" s WHERE s."id" = NEW."service_id" AND s."required_level" > NEW."level") THEN
    RAISE EXCEPTION 'assignment level % is below the level the service requires', NEW."level" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "chain_assignments_rules" BEFORE INSERT OR UPDATE OF "level", "status", "user_id", "service_id", "provider_id", "scope", "valid_until", "chain_mandate_id" ON "chain_assignments"
  FOR EACH ROW EXECUTE FUNCTION "chain_assignments_check"();
