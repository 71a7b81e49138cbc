// Builders for organisations, people, services, mandates, ketenmachtigingen and assignments, for the
// tests of who may act (src/shared/authorisations.ts) and of the chain rules in the database.
import { randomUUID } from 'node:crypto'
import type { Level, MandateScope, MandateStatus } from '../../src/generated/prisma/enums.ts'
import type { Db } from '../../src/db/tx.ts'

let sequence = 0
function next(): number {
  sequence += 1
  return sequence
}

/** A UTC-midnight Date `days`/`years` from today. */
export function day(offset: { days?: number; years?: number } = {}): Date {
  const now = new Date()
  return new Date(Date.UTC(now.getUTCFullYear() + (offset.years ?? 0), now.getUTCMonth(), now.getUTCDate() + (offset.days ?? 0)))
}

export function chainFixtures(db: Db) {
  const salt = Math.floor(Math.random() * 900) + 100
  const f = {
    async organisation() {
      const n = next()
      return db.organisation.create({
        data: {
          kvkNumber: String(salt * 100_000 + n)
            .padStart(8, '9')
            .slice(-8),
          name: `Organisatie ${salt}-${n}`,
        },
      })
    },
    async person(means: Level | null = 'EH4', options: { linkTo?: string; meansStatus?: 'active' | 'suspended' } = {}) {
      const n = next()
      const user = await db.user.create({
        data: { firstName: 'Test', lastName: `Persoon ${salt}-${n}`, dateOfBirth: new Date(Date.UTC(1980, 0, 1)), email: `p${salt}-${n}@example.nl` },
      })
      if (means)
        await db.means.create({
          data: { userId: user.id, level: means, status: options.meansStatus ?? 'active', validFrom: day({ days: -10 }), validUntil: day({ years: 3 }) },
        })
      if (options.linkTo) await db.organisationLink.create({ data: { userId: user.id, organisationId: options.linkTo } })
      return user
    },
    async service(requiredLevel: Level = 'EH2', providerId?: string) {
      const n = next()
      const oin = String(salt * 1_000_000 + n).padStart(20, '0')
      const provider = providerId ? { id: providerId } : await db.serviceProvider.create({ data: { oin, name: `Dienstverlener ${salt}-${n}` } })
      const service = await db.service.create({
        data: { id: randomUUID(), serviceId: `urn:etoegang:DV:${oin}:services:${n}`, name: `Dienst ${salt}-${n}`, requiredLevel, providerId: provider.id },
      })
      return { providerId: provider.id, service }
    },
    mandate(input: {
      userId: string
      organisationId: string
      scope?: MandateScope
      serviceId?: string
      providerId?: string
      level?: Level
      status?: MandateStatus
      validFrom?: Date
      validUntil?: Date
    }) {
      return db.mandate.create({
        data: { kind: 'use', scope: 'all', level: 'EH3', status: 'active', validFrom: day({ days: -1 }), validUntil: day({ years: 1 }), ...input },
      })
    },
    chain(input: {
      organisationId: string
      intermediaryOrganisationId: string
      scope?: MandateScope
      serviceId?: string
      providerId?: string
      level?: Level
      status?: MandateStatus
      validFrom?: Date
      validUntil?: Date
    }) {
      return db.chainMandate.create({
        data: { scope: 'all', level: 'EH3', status: 'active', validFrom: day({ days: -1 }), validUntil: day({ years: 1 }), ...input },
      })
    },
    assignment(input: {
      chainMandateId: string
      userId: string
      scope?: MandateScope
      serviceId?: string
      providerId?: string
      level?: Level
      status?: MandateStatus
      validFrom?: Date
      validUntil?: Date
    }) {
      return db.chainAssignment.create({
        data: { scope: 'all', level: 'EH3', status: 'active', validFrom: day({ days: -1 }), validUntil: day({ years: 1 }), ...input },
      })
    },
  }
  return f
}
