-- CreateIndex
CREATE INDEX "audit_events_organisation_id_id_idx" ON "audit_events"("organisation_id", "id");
