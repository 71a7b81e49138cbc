-- CreateTable
CREATE TABLE "organisation_counters" (
    "organisation_id" UUID NOT NULL,
    "counter" VARCHAR(20) NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "organisation_counters_pkey" PRIMARY KEY ("organisation_id","counter")
);

-- Overzicht's counts, kept by statement-level triggers: one aggregated upsert per statement, so a
-- bulk change of 10,000 mandates changes one counter row per organisation and level, and every write
-- path (services, raw SQL, the expiry scan, bulk changes) keeps them. Counters are upserted in key
-- order, so two transactions touching the same organisations lock their rows in the same order.
--   users             organisation_links rows of the organisation
--   means:<level>     active means of the organisation's linked users (one per link and means)
--   mandates:<level>  active 'use' mandates of the organisation
CREATE FUNCTION "organisation_counters_add"("deltas" jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "organisation_counters" ("organisation_id", "counter", "n")
  SELECT (d->>'o')::uuid, d->>'c', (d->>'n')::bigint FROM jsonb_array_elements("deltas") d
  WHERE (d->>'n')::bigint <> 0 ORDER BY 1, 2
  ON CONFLICT ("organisation_id", "counter") DO UPDATE SET "n" = "organisation_counters"."n" + excluded."n";
$$;

CREATE FUNCTION "mandates_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'mandates:' || r."level"::text AS c, 1 AS n FROM new_rows r WHERE r."kind" = 'use' AND r."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'mandates:' || r."level"::text AS c, -1 AS n FROM old_rows r WHERE r."kind" = 'use' AND r."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSE
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'mandates:' || r."level"::text AS c, 1 AS n FROM new_rows r WHERE r."kind" = 'use' AND r."status" = 'active'
      UNION ALL SELECT r."organisation_id" AS o, 'mandates:' || r."level"::text AS c, -1 AS n FROM old_rows r WHERE r."kind" = 'use' AND r."status" = 'active') x GROUP BY x.o, x.c) g;
  END IF;
  IF deltas IS NOT NULL THEN PERFORM "organisation_counters_add"(deltas); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "mandates_count_insert" AFTER INSERT ON "mandates" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "mandates_count"();
CREATE TRIGGER "mandates_count_update" AFTER UPDATE ON "mandates" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "mandates_count"();
CREATE TRIGGER "mandates_count_delete" AFTER DELETE ON "mandates" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "mandates_count"();

CREATE FUNCTION "means_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT l."organisation_id" AS o, 'means:' || r."level"::text AS c, 1 AS n FROM new_rows r JOIN "organisation_links" l ON l."user_id" = r."user_id" WHERE r."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT l."organisation_id" AS o, 'means:' || r."level"::text AS c, -1 AS n FROM old_rows r JOIN "organisation_links" l ON l."user_id" = r."user_id" WHERE r."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSE
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT l."organisation_id" AS o, 'means:' || r."level"::text AS c, 1 AS n FROM new_rows r JOIN "organisation_links" l ON l."user_id" = r."user_id" WHERE r."status" = 'active'
      UNION ALL SELECT l."organisation_id" AS o, 'means:' || r."level"::text AS c, -1 AS n FROM old_rows r JOIN "organisation_links" l ON l."user_id" = r."user_id" WHERE r."status" = 'active') x GROUP BY x.o, x.c) g;
  END IF;
  IF deltas IS NOT NULL THEN PERFORM "organisation_counters_add"(deltas); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "means_count_insert" AFTER INSERT ON "means" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "means_count"();
CREATE TRIGGER "means_count_update" AFTER UPDATE ON "means" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "means_count"();
CREATE TRIGGER "means_count_delete" AFTER DELETE ON "means" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "means_count"();

CREATE FUNCTION "organisation_links_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE deltas jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'users' AS c, 1 AS n FROM new_rows r
      UNION ALL SELECT r."organisation_id", 'means:' || m."level"::text, 1 FROM new_rows r JOIN "means" m ON m."user_id" = r."user_id" AND m."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'users' AS c, -1 AS n FROM old_rows r
      UNION ALL SELECT r."organisation_id", 'means:' || m."level"::text, -1 FROM old_rows r JOIN "means" m ON m."user_id" = r."user_id" AND m."status" = 'active') x GROUP BY x.o, x.c) g;
  ELSE
    SELECT jsonb_agg(jsonb_build_object('o', g.o, 'c', g.c, 'n', g.n)) INTO deltas
    FROM (SELECT x.o, x.c, sum(x.n) AS n FROM (SELECT r."organisation_id" AS o, 'users' AS c, 1 AS n FROM new_rows r
      UNION ALL SELECT r."organisation_id", 'means:' || m."level"::text, 1 FROM new_rows r JOIN "means" m ON m."user_id" = r."user_id" AND m."status" = 'active'
      UNION ALL SELECT r."organisation_id" AS o, 'users' AS c, -1 AS n FROM old_rows r
      UNION ALL SELECT r."organisation_id", 'means:' || m."level"::text, -1 FROM old_rows r JOIN "means" m ON m."user_id" = r."user_id" AND m."status" = 'active') x GROUP BY x.o, x.c) g;
  END IF;
  IF deltas IS NOT NULL THEN PERFORM "organisation_counters_add"(deltas); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "organisation_links_count_insert" AFTER INSERT ON "organisation_links" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "organisation_links_count"();
CREATE TRIGGER "organisation_links_count_update" AFTER UPDATE ON "organisation_links" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "organisation_links_count"();
CREATE TRIGGER "organisation_links_count_delete" AFTER DELETE ON "organisation_links" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "organisation_links_count"();

-- Recounts every counter from the tables (after a bulk load with triggers off, or to check them).
CREATE FUNCTION "refresh_organisation_counters"() RETURNS void LANGUAGE sql AS $$
  DELETE FROM "organisation_counters";
  INSERT INTO "organisation_counters" ("organisation_id", "counter", "n")
  SELECT "organisation_id", 'users', count(*) FROM "organisation_links" GROUP BY 1
  UNION ALL
  SELECT l."organisation_id", 'means:' || m."level"::text, count(*) FROM "organisation_links" l
    JOIN "means" m ON m."user_id" = l."user_id" AND m."status" = 'active' GROUP BY 1, 2
  UNION ALL
  SELECT "organisation_id", 'mandates:' || "level"::text, count(*) FROM "mandates" WHERE "kind" = 'use' AND "status" = 'active' GROUP BY 1, 2;
$$;
SELECT "refresh_organisation_counters"();
