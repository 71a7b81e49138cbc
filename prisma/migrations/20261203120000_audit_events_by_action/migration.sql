-- Logboek filtered on an action ("Actie") read each organisation's entries newest first and tested the
-- action of each in the table, until it had a page: for an action that is rare in an organisation, every
-- entry the organisation ever had (all of a 1M-mandate organisation's; an accountant's 500 organisations
-- cost 42 ms of database time a page in the bench). Per organisation and action, a page is now a range
-- of this index, so it stops after a page whatever the organisation's size. Appended at the right end of
-- each (organisation, action), so a bulk change's entries land on a few pages.
CREATE INDEX "audit_events_organisation_id_action_at_id_idx" ON "audit_events"("organisation_id", "action", "at", "id");
