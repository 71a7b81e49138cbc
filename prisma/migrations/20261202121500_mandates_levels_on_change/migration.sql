-- Rules 1 and 5 are checked when a mandate is written with what they depend on (its level, holder
-- or service) or becomes active, not on every update that names one of those columns: a bulk
-- revoke or suspend (status away from active) and the renewal of an active mandate (new end date,
-- status unchanged) no longer run mandates_check_levels for each of 10,000 rows. The renewal still
-- checks rule 1 in its own statement (refusalSql, 'meansLevel'); an expired mandate that a renewal
-- makes active again is checked here as before.
DROP TRIGGER "mandates_levels" ON "mandates";
CREATE TRIGGER "mandates_levels_insert" BEFORE INSERT ON "mandates"
  FOR EACH ROW EXECUTE FUNCTION "mandates_check_levels"();
CREATE TRIGGER "mandates_levels_update" BEFORE UPDATE OF "level", "status", "user_id", "service_id" ON "mandates"
  FOR EACH ROW WHEN (
    NEW."level" IS DISTINCT FROM OLD."level"
    OR NEW."user_id" IS DISTINCT FROM OLD."user_id"
    OR NEW."service_id" IS DISTINCT FROM OLD."service_id"
    OR (NEW."status" = 'active' AND OLD."status" IS DISTINCT FROM 'active')
  )
  EXECUTE FUNCTION "mandates_check_levels"();
