-- The Machtigingen list merged over many organisations walks (status, valid_until, id) of every
-- organisation and keeps the admin's organisations' rows (src/features/mandates/listWalk.ts): with
-- organisation_id, kind and level in the index the walk reads no table rows (it read one random heap
-- page per entry, about 600 a status for a page of an accountant's 500 organisations). Same keys as
-- the index it replaces, so the expiry scan's keyset reads it as before. SQL-only (INCLUDE):
-- src/db/migrations.ts SQL_ONLY_INDEXES.
DROP INDEX "mandates_status_valid_until_id_idx";
CREATE INDEX "mandates_by_status_idx" ON "mandates"("status", "valid_until", "id") INCLUDE ("organisation_id", "kind", "level");
