-- Rules the database holds itself (domain.md). Prisma's schema language cannot express check
-- constraints or triggers, and its diff leaves them alone.

-- Identifiers in their legal form.
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_kvk_number_format" CHECK ("kvk_number" ~ '^[0-9]{8}$');
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_rsin_format" CHECK ("rsin" IS NULL OR "rsin" ~ '^[0-9]{9}$');
ALTER TABLE "branches" ADD CONSTRAINT "branches_branch_number_format" CHECK ("branch_number" ~ '^[0-9]{12}$');
ALTER TABLE "service_providers" ADD CONSTRAINT "service_providers_oin_format" CHECK ("oin" ~ '^[0-9]{20}$');
ALTER TABLE "services" ADD CONSTRAINT "services_service_id_format" CHECK ("service_id" ~ '^urn:etoegang:DV:[0-9]{20}:services:[0-9]+$');
ALTER TABLE "users" ADD CONSTRAINT "users_email_format" CHECK ("email" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');
ALTER TABLE "users" ADD CONSTRAINT "users_date_of_birth_range" CHECK ("date_of_birth" > DATE '1900-01-01');
ALTER TABLE "applications" ADD CONSTRAINT "applications_term_years" CHECK ("term_years" IS NULL OR "term_years" IN (1, 3, 5));
ALTER TABLE "link_requests" ADD CONSTRAINT "link_requests_expiry" CHECK ("expires_at" > "created_at");

-- Terms: an end after the start.
ALTER TABLE "means" ADD CONSTRAINT "means_term" CHECK ("valid_until" > "valid_from");
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_term" CHECK ("valid_until" > "valid_from");
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_term" CHECK ("valid_until" > "valid_from");

-- A mandate's scope names exactly what it covers (rule 5).
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_scope_target" CHECK (
  ("scope" = 'service' AND "service_id" IS NOT NULL AND "provider_id" IS NULL) OR
  ("scope" = 'provider' AND "provider_id" IS NOT NULL AND "service_id" IS NULL) OR
  ("scope" = 'all' AND "service_id" IS NULL AND "provider_id" IS NULL)
);
ALTER TABLE "chain_mandates" ADD CONSTRAINT "chain_mandates_scope_target" CHECK (
  ("scope" = 'service' AND "service_id" IS NOT NULL AND "provider_id" IS NULL) OR
  ("scope" = 'provider' AND "provider_id" IS NOT NULL AND "service_id" IS NULL) OR
  ("scope" = 'all' AND "service_id" IS NULL AND "provider_id" IS NULL)
);

-- One e-mail address belongs to one person, whatever its case (rule 13).
CREATE FUNCTION "users_set_email_key"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."email" := btrim(NEW."email");
  NEW."email_key" := lower(NEW."email");
  RETURN NEW;
END $$;
CREATE TRIGGER "users_email_key" BEFORE INSERT OR UPDATE OF "email", "email_key" ON "users"
  FOR EACH ROW EXECUTE FUNCTION "users_set_email_key"();

-- A new KvK number is a new organisation (rule 16).
CREATE FUNCTION "organisations_keep_kvk"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."kvk_number" <> OLD."kvk_number" THEN
    RAISE EXCEPTION 'kvk_number is immutable: a new KvK number is a new organisation' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "organisations_kvk_immutable" BEFORE UPDATE OF "kvk_number" ON "organisations"
  FOR EACH ROW EXECUTE FUNCTION "organisations_keep_kvk"();

-- No term runs more than 5 years ahead (rule 4).
CREATE FUNCTION "check_term_at_most_five_years"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."valid_until" > (greatest(NEW."valid_from", current_date) + interval '5 years')::date THEN
    RAISE EXCEPTION 'term longer than 5 years (% until %)', NEW."valid_from", NEW."valid_until" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "means_term_max" BEFORE INSERT OR UPDATE OF "valid_from", "valid_until" ON "means"
  FOR EACH ROW EXECUTE FUNCTION "check_term_at_most_five_years"();
CREATE TRIGGER "mandates_term_max" BEFORE INSERT OR UPDATE OF "valid_from", "valid_until" ON "mandates"
  FOR EACH ROW EXECUTE FUNCTION "check_term_at_most_five_years"();

-- Mandate keys: scope_key names the scope; live is true while active or pending, so the unique
-- key "mandates_one_live_per_scope" allows one live mandate per user, organisation, kind and scope.
CREATE FUNCTION "mandates_set_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."scope_key" := CASE NEW."scope"
    WHEN 'all' THEN 'all'
    WHEN 'provider' THEN 'provider:' || coalesce(NEW."provider_id"::text, '')
    ELSE 'service:' || coalesce(NEW."service_id"::text, '') END;
  NEW."live" := CASE WHEN NEW."status" IN ('active', 'pending') THEN true ELSE NULL END;
  RETURN NEW;
END $$;
CREATE TRIGGER "mandates_keys" BEFORE INSERT OR UPDATE ON "mandates"
  FOR EACH ROW EXECUTE FUNCTION "mandates_set_keys"();

-- Rule 1: an active mandate's level is at most the level of the holder's active means.
-- Rule 5: a mandate for one service is at least that service's required level.
CREATE FUNCTION "mandates_check_levels"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" = 'active' AND NOT EXISTS (
    SELECT 1 FROM "means" m WHERE m."user_id" = NEW."user_id" AND m."status" = 'active' AND m."level" >= NEW."level"
  ) THEN
    RAISE EXCEPTION 'mandate level % is above the level of the holder''s active means', NEW."level" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW."scope" = 'service' AND EXISTS (
    SELECT 1 FROM "services" s WHERE s."id" = NEW."service_id" AND s."required_level" > NEW."level"
  ) THEN
    RAISE EXCEPTION 'mandate level % is below the level the service requires', NEW."level" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "mandates_levels" BEFORE INSERT OR UPDATE OF "level", "status", "user_id", "service_id" ON "mandates"
  FOR EACH ROW EXECUTE FUNCTION "mandates_check_levels"();

-- The audit trail is append-only.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
