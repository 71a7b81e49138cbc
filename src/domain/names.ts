// A person's name, built one way everywhere: "Jan van der Berg".
import { Prisma } from '../generated/prisma/client.ts'

export type PersonNameParts = { firstName: string; lastNamePrefix?: string | null; lastName: string }

export function personName(person: PersonNameParts): string {
  return [person.firstName, person.lastNamePrefix, person.lastName].filter(Boolean).join(' ')
}

/**
 * The name parts of a person read by an outer join (first_name, last_name_prefix, last_name as SQL
 * gives them), or null when there was no person: last_name is never null for one.
 */
export function namePartsOf(
  firstName: string | null,
  lastNamePrefix: string | null,
  lastName: string | null,
): { firstName: string; lastNamePrefix: string | null; lastName: string } | null {
  return lastName === null ? null : { firstName: firstName ?? '', lastNamePrefix, lastName }
}

/** `personName` in SQL, for names written by a set-based statement: empty parts left out as well. */
export function sqlPersonName(firstName: Prisma.Sql, lastNamePrefix: Prisma.Sql, lastName: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`concat_ws(' ', nullif(${firstName}, ''), nullif(${lastNamePrefix}, ''), nullif(${lastName}, ''))`
}
