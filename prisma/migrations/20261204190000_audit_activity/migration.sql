-- Logboek over many organisations (an accountant's 500) reads its page from a window of time, one
-- index descent per organisation (auditLogService.windowIds). audit_activity says which organisations
-- wrote an entry in which hour (UTC), so the window descends only into the organisations that have
-- entries in it: typically a few dozen of the 500, however many entries other organisations wrote in
-- the same hours. One row per hour and organisation, written by the statement that inserts the entries
-- (a statement trigger over its new rows); an existing row is left alone, so concurrent writers never
-- wait on it. The audit trail is append-only (audit_events_no_update), so a row is never stale.
CREATE TABLE "audit_activity" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "organisation_id" UUID NOT NULL,

    CONSTRAINT "audit_activity_pkey" PRIMARY KEY ("hour","organisation_id")
);

CREATE FUNCTION audit_activity_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_activity (hour, organisation_id)
  SELECT DISTINCT date_trunc('hour', n.at, 'UTC'), n.organisation_id FROM new_entries n WHERE n.organisation_id IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "audit_events_activity" AFTER INSERT ON "audit_events"
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_activity_record();

INSERT INTO audit_activity (hour, organisation_id)
SELECT DISTINCT date_trunc('hour', at, 'UTC'), organisation_id FROM audit_events WHERE organisation_id IS NOT NULL;
