-- The daily scan lapses the pending verzoeken past their end (rule 8): without an index that read every
-- verzoek ever made (a sequential scan; in the bench run right after the bulk changes it took 3.5 s of
-- the scan's longest transaction). A partial index holds only the pending ones. SQL-only (WHERE):
-- src/db/migrations.ts SQL_ONLY_INDEXES.
CREATE INDEX "link_requests_pending_expiry_idx" ON "link_requests"("expires_at") WHERE "status" = 'pending';
