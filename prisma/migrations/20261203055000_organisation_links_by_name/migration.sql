-- Gebruikers merged over many organisations walks every organisation's links in name order and keeps
-- the admin's organisations' rows (src/shared/members.ts membersPage): the walk reads this index only.
-- SQL-only (INCLUDE): src/db/migrations.ts SQL_ONLY_INDEXES.
CREATE INDEX "organisation_links_by_name_idx" ON "organisation_links"("last_name", "first_name", "user_id") INCLUDE ("organisation_id");
