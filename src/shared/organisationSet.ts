// A column tested against an admin's organisations as a hashed set, row by row.
//
// `organisation_id = any($ids)` is fine where it is an index condition read once a statement (a list
// per organisation). Inside a lookup PostgreSQL runs once per person (does this person have a link
// or mandate in one of the organisations?) it sorts the ids again on every run: 0.06 ms for an
// accountant's 500, 6 ms for a search that finds 100 people. A plain `in (select unnest($ids))` may
// be turned into a join that probes an index once per organisation (500 probes a person). Inside
// IS TRUE the IN stays a test: PostgreSQL hashes the ids once a statement and tests each row read
// by the person's own index (their few links or mandates).
import { Prisma } from '../generated/prisma/client.ts'

/**
 * `column`: a column of the statement, written by the code (`'l.organisation_id'`), never input.
 * `organisations`: the ids, or an expression of the statement that holds them as a uuid[] (one
 * parameter for several tests: Prisma sends an array as text, which PostgreSQL parses per parameter).
 */
export function inOrganisationSet(column: string, organisations: readonly string[] | Prisma.Sql): Prisma.Sql {
  const ids = organisations instanceof Prisma.Sql ? organisations : Prisma.sql`${organisations}::uuid[]`
  return Prisma.sql`(${Prisma.raw(column)} in (select unnest(${ids}))) is true`
}
