-- Verzoeken and Aanvragen pick a page's ids from every request or application of the admin's
-- organisations, newest first: for an accountant of 500 organisations 2,500 requests and 1,500
-- applications, each of which was read from the table for its id (about 2 ms of the page). With the
-- id INCLUDEd that scan is index-only. Same keys as the indexes they replace, so the status filters
-- and the daily scan keep their plans. Prisma's schema cannot state INCLUDE: src/db/migrations.ts
-- SQL_ONLY_INDEXES.
DROP INDEX "link_requests_organisation_id_status_created_at_idx";
DROP INDEX "applications_organisation_id_status_created_at_idx";
CREATE INDEX "link_requests_list_idx" ON "link_requests"("organisation_id", "status", "created_at") INCLUDE ("id");
CREATE INDEX "applications_list_idx" ON "applications"("organisation_id", "status", "created_at") INCLUDE ("id");
