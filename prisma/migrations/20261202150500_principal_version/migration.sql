-- A person's principal (who they are and which organisations they administer, src/shared/principal.ts)
-- is read on every request. An accountant's holds 500 organisations: 3 ms of database time a request.
-- Each app process now keeps principals in memory (src/features/auth/principalCache.ts) and checks
-- per request, with one primary-key read, that users.principal_version has not moved. These triggers
-- move it whenever anything the principal is read from changes, in the same transaction, so a revoked
-- admin right takes effect on the next request, on every instance. The day a mandate's term starts
-- or ends is the cache's own check (it keeps the day it read the principal for).
ALTER TABLE "users" ADD COLUMN "principal_version" INTEGER NOT NULL DEFAULT 0;

-- The person's own fields in the principal.
CREATE FUNCTION "users_principal_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."principal_version" := OLD."principal_version" + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER "users_principal_version" BEFORE UPDATE OF "email", "first_name", "last_name_prefix", "last_name", "role", "locale" ON "users"
  FOR EACH ROW WHEN (
    (NEW."email", NEW."first_name", NEW."last_name_prefix", NEW."last_name", NEW."role", NEW."locale")
    IS DISTINCT FROM (OLD."email", OLD."first_name", OLD."last_name_prefix", OLD."last_name", OLD."role", OLD."locale")
  )
  EXECUTE FUNCTION "users_principal_version"();

-- Admin mandates: granted, changed (status, term, level, organisation, holder) or deleted. Only rows
-- of kind 'admin' run the function, so a bulk change of 10,000 use mandates pays one WHEN test each.
CREATE FUNCTION "mandates_principal_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "users" SET "principal_version" = "principal_version" + 1 WHERE "id" = OLD."user_id";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."user_id" IS DISTINCT FROM OLD."user_id") THEN
    UPDATE "users" SET "principal_version" = "principal_version" + 1 WHERE "id" = NEW."user_id";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "mandates_principal_version_insert" AFTER INSERT ON "mandates"
  FOR EACH ROW WHEN (NEW."kind" = 'admin')
  EXECUTE FUNCTION "mandates_principal_version"();
CREATE TRIGGER "mandates_principal_version_update" AFTER UPDATE OF "kind", "status", "valid_from", "valid_until", "level", "organisation_id", "user_id" ON "mandates"
  FOR EACH ROW WHEN (
    (NEW."kind" = 'admin' OR OLD."kind" = 'admin')
    AND (NEW."kind", NEW."status", NEW."valid_from", NEW."valid_until", NEW."level", NEW."organisation_id", NEW."user_id")
        IS DISTINCT FROM (OLD."kind", OLD."status", OLD."valid_from", OLD."valid_until", OLD."level", OLD."organisation_id", OLD."user_id")
  )
  EXECUTE FUNCTION "mandates_principal_version"();
CREATE TRIGGER "mandates_principal_version_delete" AFTER DELETE ON "mandates"
  FOR EACH ROW WHEN (OLD."kind" = 'admin')
  EXECUTE FUNCTION "mandates_principal_version"();

-- The organisation's name, KvK number and block (rule 24) as its admins' principals show them.
CREATE FUNCTION "organisations_principal_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" SET "principal_version" = "principal_version" + 1
  WHERE "id" IN (SELECT "user_id" FROM "mandates" WHERE "organisation_id" = NEW."id" AND "kind" = 'admin');
  RETURN NULL;
END $$;
CREATE TRIGGER "organisations_principal_version" AFTER UPDATE OF "name", "kvk_number", "blocked_at" ON "organisations"
  FOR EACH ROW WHEN (
    (NEW."name", NEW."kvk_number", NEW."blocked_at") IS DISTINCT FROM (OLD."name", OLD."kvk_number", OLD."blocked_at")
  )
  EXECUTE FUNCTION "organisations_principal_version"();
