-- The user filter of the Machtigingen list ("naam of e-mailadres") searches a substring of a
-- user's displayed name or e-mail address, case-insensitively. A trigram index makes that an
-- index scan instead of a scan of every user. Prisma's schema language cannot express an index
-- on an expression; its schema diff ignores such indexes (and functions and extensions), so
-- tests/db/migrations.test.ts still sees an empty diff.

-- pg_trgm is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- The searchable text of a user: the name as displayed (first name, prefix, last name) and the
-- e-mail address, lower-cased. One definition, used by the index and by the query
-- (MandateService.matchingUserIds); a plain SQL function, so the planner inlines it and matches
-- the index expression. Not STRICT: the prefix may be null.
CREATE FUNCTION "user_search_text"(first_name text, last_name_prefix text, last_name text, email text)
  RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(first_name || ' ' || coalesce(last_name_prefix || ' ', '') || last_name || E'\n' || email) $$;

CREATE INDEX "users_search_trgm_idx" ON "users"
  USING gin ("user_search_text"("first_name", "last_name_prefix", "last_name", "email") gin_trgm_ops);

-- Statistics for the new index expression, so the planner's estimates hold from the start.
ANALYZE "users";
