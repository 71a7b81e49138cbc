-- The Machtigingen list filtered on a level with "Toon ook inactieve machtigingen": one index range
-- per organisation and level, in the list's order, instead of reading past every mandate of other
-- levels. (The list without inactive ones scans per status and compares the level as text, so it
-- keeps using mandates_organisation_id_status_valid_until_id_idx.)

-- CreateIndex
CREATE INDEX "mandates_organisation_id_level_valid_until_id_idx" ON "mandates"("organisation_id", "level", "valid_until", "id");
