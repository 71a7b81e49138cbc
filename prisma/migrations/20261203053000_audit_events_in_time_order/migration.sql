-- Logboek lists entries newest first by (at, id) instead of id, so a period is a range of the index
-- the page walks in order: (organisation_id, at, id) replaces (organisation_id, at) and
-- (organisation_id, id); (at, id) replaces (at) for the back office.
DROP INDEX "audit_events_organisation_id_at_idx";
DROP INDEX "audit_events_organisation_id_id_idx";
DROP INDEX "audit_events_at_idx";
CREATE INDEX "audit_events_organisation_id_at_id_idx" ON "audit_events"("organisation_id", "at", "id");
CREATE INDEX "audit_events_at_id_idx" ON "audit_events"("at", "id");
