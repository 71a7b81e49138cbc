-- The two per-row triggers every update of a mandate ran (a bulk renewal: 10,000 PL/pgSQL calls
-- each) now run only when their function could do something, the condition tested in the trigger's
-- WHEN clause (evaluated without calling PL/pgSQL):
--   mandates_keys derives scope_key and live from scope, provider_id, service_id and status: on an
--     update it runs when one of those, or scope_key or live themselves, is written with a new value;
--     otherwise the stored keys are already the ones it would set. Inserts always run it.
--   mandates_term_max (rule 4) only raises: it runs when the new end is more than five years after
--     the later of the start and today, the test its function makes, so the same rows are refused.
DROP TRIGGER "mandates_keys" ON "mandates";
CREATE TRIGGER "mandates_keys" BEFORE INSERT ON "mandates"
  FOR EACH ROW EXECUTE FUNCTION "mandates_set_keys"();
CREATE TRIGGER "mandates_keys_update" BEFORE UPDATE ON "mandates"
  FOR EACH ROW WHEN (
    NEW."scope" IS DISTINCT FROM OLD."scope"
    OR NEW."provider_id" IS DISTINCT FROM OLD."provider_id"
    OR NEW."service_id" IS DISTINCT FROM OLD."service_id"
    OR NEW."status" IS DISTINCT FROM OLD."status"
    OR NEW."scope_key" IS DISTINCT FROM OLD."scope_key"
    OR NEW."live" IS DISTINCT FROM OLD."live"
  )
  EXECUTE FUNCTION "mandates_set_keys"();

DROP TRIGGER "mandates_term_max" ON "mandates";
CREATE TRIGGER "mandates_term_max" BEFORE INSERT OR UPDATE OF "valid_from", "valid_until" ON "mandates"
  FOR EACH ROW WHEN (NEW."valid_until" > (greatest(NEW."valid_from", current_date) + interval '5 years')::date)
  EXECUTE FUNCTION "check_term_at_most_five_years"();
