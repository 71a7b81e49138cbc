-- Machtigingen filtered on one service ("Dienst") walks that service's mandates of every organisation
-- in page order and keeps the admin's organisations' rows (src/features/mandates/listWalk.ts): an
-- organisation's own index had to fetch a table row for each of its mandates to test the scope (for the
-- 1M-mandate organisation 60 rows a match), and for an accountant's 500 organisations all of them.
-- It takes the place of (organisation_id, level, valid_until, id), which only the list with inactive
-- mandates and a level used; that list now reads (organisation_id, valid_until, id), which INCLUDEs
-- the level, so the table keeps six indexes (each one costs bulk renewal). SQL-only (INCLUDE):
-- src/db/migrations.ts SQL_ONLY_INDEXES.
DROP INDEX "mandates_list_by_level_idx";
CREATE INDEX "mandates_by_scope_idx" ON "mandates"("scope_key", "status", "valid_until", "id") INCLUDE ("organisation_id", "kind", "level");
