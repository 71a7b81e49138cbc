// A person's name, built one way everywhere: "Jan van der Berg".
import { Prisma } from '../generated/prisma/client.ts'

export type PersonNameParts = { firstName: string; lastNamePrefix?: string | null; lastName: string }

export function personName(person: PersonNameParts): string {
  return [person.firstName, person.lastNamePrefix, person.lastName].filter(Boolean).join(' ')
}

/** `personName` in SQL, for names written by a set-based statement: empty parts left out as well. */
export function sqlPersonName(firstName: Prisma.Sql, lastNamePrefix: Prisma.Sql, lastName: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`concat_ws(' ', nullif(${firstName}, ''), nullif(${lastNamePrefix}, ''), nullif(${lastName}, ''))`
}
