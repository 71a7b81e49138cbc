-- Every renewal moves valid_until, which is in four of the mandates' indexes, so a renewed row is
-- never a HOT update: each of its indexes takes a new entry. Over 10,000 random rows of 10,000,000
-- that index work is most of a bulk renewal. Two indexes served no read a unique index does not:
--   mandates_user_id_status_idx (user_id, status): a person's mandates are read through
--     mandates_one_live_per_scope (user_id, organisation_id, kind, scope_key, live), which starts with
--     user_id; a person holds a handful of mandates (an accountant 500), so testing the status of
--     each costs nothing;
--   mandates_service_id_idx (service_id): no query reads mandates by service alone (the service
--     filter is per organisation); it only served the foreign-key check when a service is deleted
--     from the catalogue, which the app never does.
DROP INDEX "mandates_user_id_status_idx";
DROP INDEX "mandates_service_id_idx";
