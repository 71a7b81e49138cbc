-- Ending an assignment is always possible: the rules of chain_assignments_check (linked to the
-- intermediary, within the chain's level, term and scope, means and service level) hold for a live
-- assignment (active or pending) only. Before, revoking a chain or the daily expiry scan failed when
-- a holder had since left the intermediary (no link any more) or lost the means, and the scan would
-- roll back every other expiry with it.
CREATE OR REPLACE FUNCTION "chain_assignments_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c "chain_mandates"%ROWTYPE;
  service_provider uuid;
BEGIN
  IF NEW."status" NOT IN ('active', 'pending') THEN
    RETURN NEW;
  END IF;
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
