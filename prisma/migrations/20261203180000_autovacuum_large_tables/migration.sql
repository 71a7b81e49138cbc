-- Mandates and audit entries are the tables that grow to millions of rows. PostgreSQL's default
-- autovacuum waits until a fifth of a table has changed: 2,000,000 changed mandates at 10,000,000, which
-- bulk changes, renewals and the daily scan take months to reach. Until then each changed row's page is
-- no longer marked all-visible, so the index-only scans of the list pages (Machtigingen' walk, Logboek's
-- scan per organisation) read table pages again: in the scale benchmark 857,508 dead mandates had
-- accumulated, and an accountant's "niveau + inactieve" page read 800 table pages (7.3 ms of database
-- time; 4.5 ms after a VACUUM). A hundredth of the table (100,000 mandates) keeps the visibility map
-- current; ANALYZE follows the same share, so the planner's statistics do too.
ALTER TABLE "mandates" SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_analyze_scale_factor = 0.01
);
ALTER TABLE "audit_events" SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_analyze_scale_factor = 0.01
);
