// The domain core (src/domain): each list agrees with the database's enums, and each rule that also
// runs in SQL gives the same answer in TypeScript and in PostgreSQL, for every level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Prisma } from '../../src/generated/prisma/client.ts'
import { ADMIN_LEVELS, LEVEL_VALUES, LEVELS, fromDbLevel, levelAtLeast, levelLabel, parseLevel, toDbLevel } from '../../src/domain/levels.ts'
import { LIVE_MANDATE_STATUSES, MANDATE_STATUSES, MEANS_STATUSES, LINK_REQUEST_STATUSES, OPEN_APPLICATION_STATUSES } from '../../src/domain/statuses.ts'
import { addYearsClamped, isTerm, renewableTerms, TERMS } from '../../src/domain/terms.ts'
import { personName } from '../../src/domain/names.ts'
import {
  assertMeansCoversLevel,
  assertWithinAdminLevel,
  levelCoversService,
  meansCoversLevel,
  sqlMeansCoversLevel,
  sqlWithinAdminLevel,
  withinAdminLevel,
} from '../../src/domain/rules.ts'
import { RuleViolation } from '../../src/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

const pairs = LEVELS.flatMap((a) => LEVELS.map((b) => [a, b] as const))

describe('levels, terms, statuses and names (pure)', () => {
  it('When levels are spelled for the database and back, then every level survives, and EH2_PLUS is "EH2+"', () => {
    for (const level of LEVELS) expect(fromDbLevel(toDbLevel(level))).toBe(level)
    expect(toDbLevel('EH2_PLUS')).toBe('EH2+')
    expect(levelLabel('EH2_PLUS')).toBe('EH2+')
    expect([...LEVEL_VALUES]).toEqual([...LEVELS])
    expect(ADMIN_LEVELS.every((l) => levelAtLeast(l, 'EH2_PLUS'))).toBe(true)
  })

  it('When a level is typed as in a CSV, then it is read in any spelling, and anything else is refused', () => {
    expect(parseLevel(' eh2+ ')).toBe('EH2_PLUS')
    expect(parseLevel('EH2_PLUS')).toBe('EH2_PLUS')
    expect(parseLevel('EH 4')).toBe('EH4')
    expect(parseLevel('EH1')).toBeNull()
  })

  it('When a term is given, then only 1, 3 and 5 years are terms, and years are added as PostgreSQL does (29 Feb → 28 Feb)', () => {
    expect(TERMS.filter(isTerm)).toEqual([1, 3, 5])
    expect(isTerm(2)).toBe(false)
    expect(addYearsClamped(new Date('2028-02-29T00:00:00Z'), 1).toISOString().slice(0, 10)).toBe('2029-02-28')
  })

  it('When a renewal is offered, then only the terms that stay within 5 years of today are offered (rule 4)', () => {
    const today = new Date('2026-12-02T00:00:00Z')
    expect(renewableTerms(new Date('2027-06-01T00:00:00Z'), today)).toEqual([1, 3])
    expect(renewableTerms(new Date('2025-01-01T00:00:00Z'), today)).toEqual([1, 3, 5])
  })

  it('When a person has a prefix, then the name reads "first prefix last", and without one no double space', () => {
    expect(personName({ firstName: 'Jan', lastNamePrefix: 'van der', lastName: 'Berg' })).toBe('Jan van der Berg')
    expect(personName({ firstName: 'Anna', lastNamePrefix: null, lastName: 'Smit' })).toBe('Anna Smit')
  })

  it('When a rule refuses, then it throws the RuleViolation with the message key, field and level the page shows', () => {
    expect(() => assertWithinAdminLevel('EH3', 'EH4', { field: 'level' })).toThrow(RuleViolation)
    try {
      assertWithinAdminLevel('EH2_PLUS', 'EH3', { key: 'users:upgrade.errors.aboveAdmin', field: 'level' })
    } catch (error) {
      expect(error).toMatchObject({ messageKey: 'users:upgrade.errors.aboveAdmin', field: 'level', params: { level: 'EH2+' } })
    }
    try {
      assertMeansCoversLevel([], 'EH2')
    } catch (error) {
      expect(error).toMatchObject({ messageKey: 'mandates:errors.meansLevel', params: { level: '-' } })
    }
    expect(() => assertMeansCoversLevel(['EH2', 'EH3'], 'EH3')).not.toThrow()
    expect(levelCoversService('EH3', 'EH2_PLUS')).toBe(false)
    expect(levelCoversService(null, 'EH2')).toBe(true)
  })
})

describe('the domain against the database', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(async () => {
    await t.drop()
  })

  async function enumValues(type: string): Promise<string[]> {
    const rows = await t.db.$queryRawUnsafe<{ v: string }[]>(`select unnest(enum_range(null::"${type}"))::text as v`)
    return rows.map((r) => r.v)
  }

  it('When the lists are compared with the PostgreSQL enums, then they hold the same values in the same order', async () => {
    expect(await enumValues('Level')).toEqual(LEVELS.map(toDbLevel))
    expect(await enumValues('MandateStatus')).toEqual([...MANDATE_STATUSES])
    expect(await enumValues('MeansStatus')).toEqual([...MEANS_STATUSES])
    expect(await enumValues('LinkRequestStatus')).toEqual([...LINK_REQUEST_STATUSES])
    const applicationStatuses = await enumValues('ApplicationStatus')
    expect(OPEN_APPLICATION_STATUSES.every((s) => applicationStatuses.includes(s))).toBe(true)
    expect(LIVE_MANDATE_STATUSES.every((s) => (MANDATE_STATUSES as readonly string[]).includes(s))).toBe(true)
  })

  it('When rule 2 is asked in SQL and in TypeScript for every pair of levels, then both answer the same', async () => {
    for (const [admin, level] of pairs) {
      const sql = sqlWithinAdminLevel(Prisma.sql`${toDbLevel(admin)}::"Level"`, Prisma.sql`${toDbLevel(level)}::"Level"`)
      const [row] = await t.db.$queryRaw<{ ok: boolean }[]>(Prisma.sql`select ${sql} as ok`)
      expect(row!.ok, `${admin} admin, ${level} mandate`).toBe(withinAdminLevel(admin, level))
    }
  })

  it('When rule 1 is asked in SQL and in TypeScript for every means level and mandate level, then both answer the same', async () => {
    const user = await t.db.user.create({
      data: { firstName: 'Regel', lastName: 'Een', email: 'regel.een@example.nl', dateOfBirth: new Date('1980-01-01'), locale: 'nl' },
    })
    const [none] = await t.db.$queryRaw<{ ok: boolean }[]>(
      Prisma.sql`select ${sqlMeansCoversLevel(Prisma.sql`${user.id}::uuid`, Prisma.sql`'EH2'::"Level"`)} as ok`,
    )
    expect(none!.ok).toBe(meansCoversLevel([], 'EH2'))
    for (const means of LEVELS) {
      await t.db.means.deleteMany({ where: { userId: user.id } })
      await t.db.means.create({
        data: { userId: user.id, level: means, status: 'active', validFrom: new Date('2026-01-01'), validUntil: new Date('2027-01-01') },
      })
      for (const level of LEVELS) {
        const sql = sqlMeansCoversLevel(Prisma.sql`${user.id}::uuid`, Prisma.sql`${toDbLevel(level)}::"Level"`)
        const [row] = await t.db.$queryRaw<{ ok: boolean }[]>(Prisma.sql`select ${sql} as ok`)
        expect(row!.ok, `${means} means, ${level} mandate`).toBe(meansCoversLevel([means], level))
      }
    }
  })

  it('When years are added in PostgreSQL and with addYearsClamped, then the dates agree (also from 29 February)', async () => {
    for (const start of ['2028-02-29', '2026-12-31', '2027-03-01']) {
      for (const years of TERMS) {
        const [row] = await t.db.$queryRaw<{ d: string }[]>(
          Prisma.sql`select to_char((${start}::date + make_interval(years => ${years}::int))::date, 'YYYY-MM-DD') as d`,
        )
        expect(
          addYearsClamped(new Date(`${start}T00:00:00Z`), years)
            .toISOString()
            .slice(0, 10),
        ).toBe(row!.d)
      }
    }
  })
})
