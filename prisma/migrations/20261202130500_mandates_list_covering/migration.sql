-- The Machtigingen list walks one bounded index scan per organisation (and status) and merges them:
-- for an accountant of 500 organisations 1,000 scans of 26 entries for one page. With the columns
-- its filters test (kind, level, status) INCLUDEd, those scans are index-only and read no table rows;
-- the 26 rows of the page are fetched afterwards by id (src/features/mandates/listService.ts).
-- Same keys as the indexes they replace, so every other reader (Overzicht's expiring count, the
-- expiry scan's per-organisation steps) keeps its plan. Prisma's schema cannot state INCLUDE:
-- src/db/migrations.ts SQL_ONLY_INDEXES.
DROP INDEX "mandates_organisation_id_status_valid_until_id_idx";
DROP INDEX "mandates_organisation_id_valid_until_id_idx";
DROP INDEX "mandates_organisation_id_level_valid_until_id_idx";
CREATE INDEX "mandates_list_by_status_idx" ON "mandates"("organisation_id", "status", "valid_until", "id") INCLUDE ("kind", "level");
CREATE INDEX "mandates_list_idx" ON "mandates"("organisation_id", "valid_until", "id") INCLUDE ("kind", "level", "status");
CREATE INDEX "mandates_list_by_level_idx" ON "mandates"("organisation_id", "level", "valid_until", "id") INCLUDE ("kind", "status");
