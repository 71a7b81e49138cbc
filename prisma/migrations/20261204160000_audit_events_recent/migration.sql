-- Logboek over many organisations (an accountant's 500) looks for its page among the newest entries of
-- everyone, in page order, and keeps those of the admin's organisations (auditLogService.walkIds): the
-- organisation and the action are in the index, so an entry that is not kept costs no table row. Its
-- key is that of the back office's index over everyone, which it replaces.
DROP INDEX "audit_events_at_id_idx";
CREATE INDEX "audit_events_recent_idx" ON "audit_events"("at", "id") INCLUDE ("organisation_id", "action");
