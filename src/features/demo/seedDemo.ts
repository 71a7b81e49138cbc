// Demo data and the service catalogue, seeded idempotently.
//
// The data lives in prisma/seed/services.json (the dienstencatalogus) and prisma/seed/demo.json
// (organisations, users, means, mandates, applications, link requests). Dates in demo.json are
// relative to the seeding day ('-400d', '+45d', '+1y', '0d') so the demo always looks current.
//
// - seedServiceCatalogue: upserts providers (by OIN) and services (by ServiceUUID); safe on every start.
// - seedDemo: the catalogue, then the demo data unless the first demo organisation already
//   exists, all in one transaction. No audit events: seeding is not a change made by someone.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import servicesJson from '../../../prisma/seed/services.json' with { type: 'json' }
import demoJson from '../../../prisma/seed/demo.json' with { type: 'json' }
import { Prisma } from '../../generated/prisma/client.ts'
import type { PrismaClient, Level } from '../../generated/prisma/client.ts'
import { hashPassword } from '../../shared/passwords.ts'

type Db = PrismaClient | Prisma.TransactionClient

/** The fixed demo accounts (README and tests rely on these exact values). */
export const DEMO_PASSWORD = 'Demo-wachtwoord-2026'

/**
 * Why `npm run db:seed` must not run here, or null. The demo accounts have the published password
 * above and known TOTP secrets: never in production unless `--force-demo` says the operator means it.
 * (The start-up seed in src/server.ts never runs in production at all.)
 */
export function demoSeedRefusal(config: { production: boolean }, args: readonly string[]): string | null {
  if (!config.production || args.includes('--force-demo')) return null
  return 'Refusing to seed the demo data with NODE_ENV=production: its accounts have a published password (see README). ' +
    'Run `npm run db:seed -- --force-demo` if you really want demo accounts in this database.'
}

export type DemoAccount = {
  email: string
  password: string
  totpSecret: string | null
  role: string
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  {
    email: 'sanne.devries@demo.example',
    password: DEMO_PASSWORD,
    totpSecret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD',
    role: 'Machtigingenbeheerder (EH3) van Bakkerij De Vries B.V. en De Vries Holding B.V.',
  },
  {
    email: 'pieter.bakker@demo.example',
    password: DEMO_PASSWORD,
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    role: 'Machtigingenbeheerder (EH2+) van Bakker Installatietechniek B.V.',
  },
  {
    email: 'backoffice@demo.example',
    password: DEMO_PASSWORD,
    totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
    role: 'Backoffice-medewerker van de leverancier (identiteitscontroles, ziet alle organisaties)',
  },
  {
    email: 'jan.smit@demo.example',
    password: DEMO_PASSWORD,
    totpSecret: null,
    role: 'Gebruiker zonder beheerdersmachtiging bij Bakkerij De Vries B.V.',
  },
])

// ---------------------------------------------------------------------------------------------
// Levels and dates

const LEVELS = ['EH2', 'EH2+', 'EH3', 'EH4'] as const
type JsonLevel = (typeof LEVELS)[number]
const LEVEL_TO_DB: Record<JsonLevel, Level> = { EH2: 'EH2', 'EH2+': 'EH2_PLUS', EH3: 'EH3', EH4: 'EH4' }
const LEVEL_RANK: Record<JsonLevel, number> = { EH2: 0, 'EH2+': 1, EH3: 2, EH4: 3 }

const RELATIVE = /^([+-]?)(\d+)([dmy])$/
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}$/
const dateText = z.string().refine((value) => RELATIVE.test(value) || ABSOLUTE.test(value), {
  message: "expected a relative date like '-400d', '+45d', '+1y' or an ISO date YYYY-MM-DD",
})

/** UTC midnight of the given instant's UTC calendar day (the form of a `@db.Date` column). */
export function utcMidnight(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000)
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes()))
}

function resolveDate(text: string, today: Date): Date {
  if (ABSOLUTE.test(text)) return new Date(`${text}T00:00:00.000Z`)
  const match = RELATIVE.exec(text)
  if (!match) throw new Error(`invalid date ${text}`)
  const amount = Number(match[2]) * (match[1] === '-' ? -1 : 1)
  if (match[3] === 'd') return addDays(today, amount)
  return addMonths(today, match[3] === 'm' ? amount : amount * 12)
}

/** A moment on a relative day: 09:00 UTC, so seeded timestamps fall in office hours. */
function resolveTimestamp(text: string, today: Date): Date {
  return new Date(resolveDate(text, today).getTime() + 9 * 3_600_000)
}

// ---------------------------------------------------------------------------------------------
// The JSON files, validated

const level = z.enum(LEVELS)
const uuidV4 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'expected a lower-case uuid v4')

const catalogueSchema = z.object({
  description: z.string().optional(),
  providers: z.array(
    z.object({
      oin: z.string().regex(/^[0-9]{20}$/),
      name: z.string().min(1).max(200),
      services: z.array(
        z.object({
          serviceUuid: uuidV4,
          serviceId: z.string().regex(/^urn:etoegang:DV:[0-9]{20}:services:[0-9]+$/),
          name: z.string().min(1).max(64),
          description: z.string().max(1024),
          requiredLevel: level,
          refusesBranchRestriction: z.boolean(),
        }),
      ),
    }),
  ),
})

const mandateStatus = z.enum(['active', 'pending', 'expired', 'revoked', 'suspended'])
const scope = z.enum(['service', 'provider', 'all'])

const demoSchema = z.object({
  description: z.string().optional(),
  organisations: z
    .array(
      z.object({
        ref: z.string(),
        kvkNumber: z.string().regex(/^[0-9]{8}$/),
        rsin: z.string().regex(/^[0-9]{9}$/).nullable().optional(),
        name: z.string().min(1).max(200),
        branches: z.array(
          z.object({
            ref: z.string(),
            branchNumber: z.string().regex(/^[0-9]{12}$/),
            name: z.string().min(1).max(200),
            city: z.string().max(100).nullable().optional(),
          }),
        ),
        legalRepresentatives: z.array(
          z.object({
            ref: z.string(),
            name: z.string().min(1).max(200),
            email: z.string().email(),
            authority: z.enum(['sole', 'joint', 'limited']),
          }),
        ),
      }),
    )
    .min(1),
  users: z.array(
    z.object({
      ref: z.string(),
      firstName: z.string().min(1).max(100),
      lastNamePrefix: z.string().max(20).nullable().optional(),
      lastName: z.string().min(1).max(100),
      dateOfBirth: z.string().regex(ABSOLUTE),
      email: z.string().email(),
      mobile: z.string().max(20).nullable().optional(),
      role: z.enum(['user', 'backoffice']),
      password: z.string().min(12).nullable().optional(),
      totpSecret: z.string().regex(/^[A-Z2-7]{16,}$/).nullable().optional(),
      totpEnabledAt: dateText.optional(),
      means: z.array(
        z.object({
          level,
          status: z.enum(['requested', 'active', 'suspended', 'revoked', 'expired']),
          validFrom: dateText,
          validUntil: dateText,
          issuedAt: dateText.nullable().optional(),
        }),
      ),
      links: z.array(z.object({ organisation: z.string(), since: dateText.optional() })),
    }),
  ),
  mandates: z.array(
    z.object({
      ref: z.string().optional(),
      user: z.string(),
      organisation: z.string(),
      kind: z.enum(['use', 'admin']).default('use'),
      scope,
      service: z.string().optional(),
      provider: z.string().optional(),
      level,
      branch: z.string().optional(),
      validFrom: dateText,
      validUntil: dateText,
      status: mandateStatus,
      revokedAt: dateText.optional(),
      grantedBy: z.string().optional(),
    }),
  ),
  chainMandates: z.array(
    z.object({
      organisation: z.string(),
      intermediary: z.string(),
      scope,
      service: z.string().optional(),
      provider: z.string().optional(),
      level,
      validFrom: dateText,
      validUntil: dateText,
      status: mandateStatus,
    }),
  ),
  applications: z.array(
    z.object({
      organisation: z.string(),
      type: z.enum(['new_means', 'upgrade', 'mandates', 'renewal', 'admin_appointment']),
      status: z.enum(['awaiting_signature', 'signed', 'awaiting_identity_check', 'issued', 'rejected', 'cancelled']),
      level: level.nullable().optional(),
      termYears: z.union([z.literal(1), z.literal(3), z.literal(5)]).nullable().optional(),
      subjectUser: z.string().optional(),
      requestedBy: z.string().optional(),
      createdAt: dateText,
      decidedAt: dateText.optional(),
      rejectionReason: z.string().max(1000).optional(),
      items: z.array(z.record(z.string(), z.unknown())),
      signatures: z.array(
        z.union([
          z.object({ adminUser: z.string(), signedAt: dateText }),
          z.object({ legalRepresentative: z.string(), signedAt: dateText }),
        ]),
      ),
    }),
  ),
  linkRequests: z.array(
    z.object({
      user: z.string(),
      organisation: z.string(),
      requestedBy: z.string().optional(),
      status: z.enum(['pending', 'accepted', 'rejected', 'lapsed', 'cancelled']),
      createdAt: dateText,
      decidedAt: dateText.optional(),
    }),
  ),
})

type Catalogue = z.infer<typeof catalogueSchema>
type Demo = z.infer<typeof demoSchema>

function parse<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

let catalogueCache: Catalogue | undefined
let demoCache: Demo | undefined

/** The validated service catalogue from prisma/seed/services.json. */
export function loadServiceCatalogue(): Catalogue {
  if (catalogueCache) return catalogueCache
  const catalogue = parse(catalogueSchema, servicesJson, 'prisma/seed/services.json')
  const oins = new Set<string>()
  const uuids = new Set<string>()
  const serviceIds = new Set<string>()
  const names = new Set<string>()
  for (const provider of catalogue.providers) {
    if (oins.has(provider.oin)) throw new Error(`services.json: duplicate OIN ${provider.oin}`)
    oins.add(provider.oin)
    for (const service of provider.services) {
      if (!service.serviceId.startsWith(`urn:etoegang:DV:${provider.oin}:services:`)) {
        throw new Error(`services.json: ${service.serviceId} does not carry the OIN of ${provider.name}`)
      }
      for (const [set, value] of [
        [uuids, service.serviceUuid],
        [serviceIds, service.serviceId],
        [names, service.name],
      ] as const) {
        if (set.has(value)) throw new Error(`services.json: duplicate ${value}`)
        set.add(value)
      }
    }
  }
  catalogueCache = catalogue
  return catalogue
}

function loadDemo(): Demo {
  if (demoCache) return demoCache
  const demo = parse(demoSchema, demoJson, 'prisma/seed/demo.json')
  for (const account of DEMO_ACCOUNTS) {
    const user = demo.users.find((u) => u.email.toLowerCase() === account.email)
    if (!user || user.password !== account.password || (user.totpSecret ?? null) !== account.totpSecret) {
      throw new Error(`demo.json does not match DEMO_ACCOUNTS for ${account.email}`)
    }
  }
  demoCache = demo
  return demo
}

// ---------------------------------------------------------------------------------------------
// Service catalogue

/** Upserts the catalogue: providers by OIN, services by ServiceUUID. Writes only what differs. */
export async function seedServiceCatalogue(db: Db): Promise<void> {
  const catalogue = loadServiceCatalogue()
  const existingProviders = new Map(
    (await db.serviceProvider.findMany({ where: { oin: { in: catalogue.providers.map((p) => p.oin) } } })).map((p) => [p.oin, p]),
  )
  const uuids = catalogue.providers.flatMap((p) => p.services.map((s) => s.serviceUuid))
  const existingServices = new Map((await db.service.findMany({ where: { id: { in: uuids } } })).map((s) => [s.id, s]))

  for (const provider of catalogue.providers) {
    let providerRow = existingProviders.get(provider.oin)
    if (!providerRow) {
      providerRow = await db.serviceProvider.create({ data: { oin: provider.oin, name: provider.name } })
    } else if (providerRow.name !== provider.name) {
      providerRow = await db.serviceProvider.update({ where: { id: providerRow.id }, data: { name: provider.name } })
    }
    for (const service of provider.services) {
      const data = {
        serviceId: service.serviceId,
        name: service.name,
        description: service.description,
        requiredLevel: LEVEL_TO_DB[service.requiredLevel],
        refusesBranchRestriction: service.refusesBranchRestriction,
        providerId: providerRow.id,
      }
      const row = existingServices.get(service.serviceUuid)
      if (!row) {
        await db.service.create({ data: { id: service.serviceUuid, ...data } })
      } else if (
        row.serviceId !== data.serviceId ||
        row.name !== data.name ||
        row.description !== data.description ||
        row.requiredLevel !== data.requiredLevel ||
        row.refusesBranchRestriction !== data.refusesBranchRestriction ||
        row.providerId !== data.providerId
      ) {
        await db.service.update({ where: { id: service.serviceUuid }, data })
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Demo data

/** Serialises concurrent seeders (two app instances starting at once). */
const SEED_LOCK_KEY = 7_271_930_001

export async function seedDemo(db: PrismaClient, options: { today?: Date } = {}): Promise<{ seeded: boolean }> {
  const today = utcMidnight(options.today ?? new Date())
  const demo = loadDemo()
  loadServiceCatalogue()
  const markerKvk = demo.organisations[0]!.kvkNumber

  // argon2 is slow: hash (once per distinct password) only when the demo still has to be seeded.
  const present = await db.organisation.findUnique({ where: { kvkNumber: markerKvk }, select: { id: true } })
  const hashes = present ? undefined : await hashDemoPasswords(demo)

  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${SEED_LOCK_KEY})`)
      await seedServiceCatalogue(tx)
      const marker = await tx.organisation.findUnique({ where: { kvkNumber: markerKvk }, select: { id: true } })
      if (marker) return { seeded: false }
      await insertDemo(tx, demo, today, hashes ?? (await hashDemoPasswords(demo)))
      return { seeded: true }
    },
    { maxWait: 30_000, timeout: 120_000 },
  )
}

async function hashDemoPasswords(demo: Demo): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  for (const user of demo.users) {
    if (user.password && !hashes.has(user.password)) hashes.set(user.password, await hashPassword(user.password))
  }
  return hashes
}

function lookup<T>(map: Map<string, T>, key: string | undefined, what: string, where: string): T {
  if (key === undefined) throw new Error(`demo.json: ${where} needs a ${what}`)
  const value = map.get(key)
  if (value === undefined) throw new Error(`demo.json: ${where} names unknown ${what} '${key}'`)
  return value
}

async function insertDemo(tx: Prisma.TransactionClient, demo: Demo, today: Date, hashes: Map<string, string>): Promise<void> {
  const date = (text: string) => resolveDate(text, today)
  const at = (text: string) => resolveTimestamp(text, today)

  // Catalogue lookups (by service name and provider name as in services.json).
  const providers = new Map((await tx.serviceProvider.findMany()).map((p) => [p.name, p]))
  const catalogue = loadServiceCatalogue()
  const services = new Map<string, { id: string; name: string; requiredLevel: JsonLevel; providerName: string }>()
  for (const provider of catalogue.providers) {
    for (const s of provider.services) {
      services.set(s.name, { id: s.serviceUuid, name: s.name, requiredLevel: s.requiredLevel, providerName: provider.name })
    }
  }
  const providerIdByName = (name: string | undefined, where: string) => lookup(providers, name, 'provider', where).id

  // Organisations, branches, legal representatives.
  const orgIds = new Map<string, string>()
  const branches = new Map<string, { id: string; organisationRef: string }>()
  const legalReps = new Map<string, { id: string; organisationRef: string }>()
  const organisationRows: Prisma.OrganisationCreateManyInput[] = []
  const branchRows: Prisma.BranchCreateManyInput[] = []
  const legalRepRows: Prisma.LegalRepresentativeCreateManyInput[] = []
  for (const org of demo.organisations) {
    if (org.rsin && !elfproef(org.rsin)) throw new Error(`demo.json: RSIN ${org.rsin} fails the 11-check`)
    const id = randomUUID()
    orgIds.set(org.ref, id)
    organisationRows.push({ id, kvkNumber: org.kvkNumber, rsin: org.rsin ?? null, name: org.name })
    for (const branch of org.branches) {
      const branchId = randomUUID()
      branches.set(branch.ref, { id: branchId, organisationRef: org.ref })
      branchRows.push({ id: branchId, organisationId: id, branchNumber: branch.branchNumber, name: branch.name, city: branch.city ?? null })
    }
    for (const rep of org.legalRepresentatives) {
      const repId = randomUUID()
      legalReps.set(rep.ref, { id: repId, organisationRef: org.ref })
      legalRepRows.push({ id: repId, organisationId: id, name: rep.name, email: rep.email, authority: rep.authority })
    }
  }
  const orgId = (ref: string | undefined, where: string) => lookup(orgIds, ref, 'organisation', where)

  // Users, their means and links.
  const userIds = new Map<string, string>()
  const userRows: Prisma.UserCreateManyInput[] = []
  const meansRows: Prisma.MeansCreateManyInput[] = []
  const linkRows: Prisma.OrganisationLinkCreateManyInput[] = []
  const activeMeansLevels = new Map<string, JsonLevel[]>()
  const linked = new Set<string>()
  for (const user of demo.users) {
    const id = randomUUID()
    userIds.set(user.ref, id)
    userRows.push({
      id,
      firstName: user.firstName,
      lastNamePrefix: user.lastNamePrefix ?? null,
      lastName: user.lastName,
      dateOfBirth: date(user.dateOfBirth),
      email: user.email,
      mobile: user.mobile ?? null,
      role: user.role,
      passwordHash: user.password ? (hashes.get(user.password) ?? null) : null,
      totpSecret: user.totpSecret ?? null,
      totpEnabledAt: user.totpSecret && user.totpEnabledAt ? at(user.totpEnabledAt) : null,
    })
    for (const means of user.means) {
      const validFrom = date(means.validFrom)
      const validUntil = date(means.validUntil)
      checkStatusMatchesDates(means.status, validUntil, today, `means of ${user.ref}`)
      if (means.status === 'active') activeMeansLevels.set(user.ref, [...(activeMeansLevels.get(user.ref) ?? []), means.level])
      meansRows.push({
        id: randomUUID(),
        userId: id,
        level: LEVEL_TO_DB[means.level],
        status: means.status,
        validFrom,
        validUntil,
        issuedAt: means.issuedAt ? at(means.issuedAt) : null,
      })
    }
    for (const link of user.links) {
      linked.add(`${user.ref}|${link.organisation}`)
      linkRows.push({
        id: randomUUID(),
        userId: id,
        organisationId: orgId(link.organisation, `link of ${user.ref}`),
        ...(link.since ? { createdAt: at(link.since) } : {}),
      })
    }
  }
  const userId = (ref: string | undefined, where: string) => lookup(userIds, ref, 'user', where)

  // Mandates. The database checks levels, terms and live uniqueness; the rules it cannot see
  // (link, branch of the organisation, admin level = means level) are checked here.
  const mandateIds = new Map<string, string>()
  const mandateRows: Prisma.MandateCreateManyInput[] = []
  for (const [index, m] of demo.mandates.entries()) {
    const where = `mandate ${m.ref ?? index} (${m.user} at ${m.organisation})`
    const id = randomUUID()
    if (m.ref) mandateIds.set(m.ref, id)
    if (!linked.has(`${m.user}|${m.organisation}`)) throw new Error(`demo.json: ${where}: the holder is not linked to the organisation`)
    const validUntil = date(m.validUntil)
    checkStatusMatchesDates(m.status, validUntil, today, where)
    const meansLevels = activeMeansLevels.get(m.user) ?? []
    if (m.status === 'active' && !meansLevels.some((l) => LEVEL_RANK[l] >= LEVEL_RANK[m.level])) {
      throw new Error(`demo.json: ${where}: no active means at ${m.level} or higher`)
    }
    if (m.kind === 'admin' && (m.scope !== 'all' || !meansLevels.includes(m.level))) {
      throw new Error(`demo.json: ${where}: an admin mandate has scope 'all' and the level of an active means`)
    }
    let branchId: string | null = null
    if (m.branch) {
      const branch = lookup(branches, m.branch, 'branch', where)
      if (branch.organisationRef !== m.organisation) throw new Error(`demo.json: ${where}: branch ${m.branch} is not a branch of the organisation`)
      branchId = branch.id
    }
    const service = m.scope === 'service' ? lookup(services, m.service, 'service', where) : undefined
    if (service && m.branch && refusesBranch(catalogue, service.id)) {
      throw new Error(`demo.json: ${where}: ${service.name} refuses branch-restricted mandates`)
    }
    mandateRows.push({
      id,
      kind: m.kind,
      userId: userId(m.user, where),
      organisationId: orgId(m.organisation, where),
      scope: m.scope,
      serviceId: service?.id ?? null,
      providerId: m.scope === 'provider' ? providerIdByName(m.provider, where) : null,
      level: LEVEL_TO_DB[m.level],
      branchId,
      validFrom: date(m.validFrom),
      validUntil,
      status: m.status,
      grantedById: m.grantedBy ? userId(m.grantedBy, where) : null,
      revokedAt: m.status === 'revoked' ? at(m.revokedAt ?? '0d') : null,
    })
  }

  const chainRows: Prisma.ChainMandateCreateManyInput[] = demo.chainMandates.map((c, index) => {
    const where = `chain mandate ${index}`
    return {
      id: randomUUID(),
      organisationId: orgId(c.organisation, where),
      intermediaryOrganisationId: orgId(c.intermediary, where),
      scope: c.scope,
      serviceId: c.scope === 'service' ? lookup(services, c.service, 'service', where).id : null,
      providerId: c.scope === 'provider' ? providerIdByName(c.provider, where) : null,
      level: LEVEL_TO_DB[c.level],
      validFrom: date(c.validFrom),
      validUntil: date(c.validUntil),
      status: c.status,
    }
  })

  // Applications with their items and signatures.
  const applicationRows: Prisma.ApplicationCreateManyInput[] = []
  const itemRows: Prisma.ApplicationItemCreateManyInput[] = []
  const signatureRows: Prisma.ApplicationSignatureCreateManyInput[] = []
  for (const [index, a] of demo.applications.entries()) {
    const where = `application ${index} (${a.type} at ${a.organisation})`
    const id = randomUUID()
    applicationRows.push({
      id,
      organisationId: orgId(a.organisation, where),
      type: a.type,
      status: a.status,
      level: a.level ? LEVEL_TO_DB[a.level] : null,
      termYears: a.termYears ?? null,
      subjectUserId: a.subjectUser ? userId(a.subjectUser, where) : null,
      requestedById: a.requestedBy ? userId(a.requestedBy, where) : null,
      rejectionReason: a.rejectionReason ?? null,
      createdAt: at(a.createdAt),
      decidedAt: a.decidedAt ? at(a.decidedAt) : null,
    })
    for (const item of a.items) {
      itemRows.push({ id: randomUUID(), applicationId: id, details: itemDetails(item, where) })
    }
    for (const signature of a.signatures) {
      if ('adminUser' in signature) {
        signatureRows.push({ id: randomUUID(), applicationId: id, signerType: 'admin', adminUserId: userId(signature.adminUser, where), signedAt: at(signature.signedAt) })
      } else {
        const rep = lookup(legalReps, signature.legalRepresentative, 'legal representative', where)
        if (rep.organisationRef !== a.organisation) throw new Error(`demo.json: ${where}: ${signature.legalRepresentative} does not represent the organisation`)
        signatureRows.push({ id: randomUUID(), applicationId: id, signerType: 'legal_representative', legalRepresentativeId: rep.id, signedAt: at(signature.signedAt) })
      }
    }
  }

  function itemDetails(item: Record<string, unknown>, where: string): Prisma.InputJsonObject {
    const details: Record<string, Prisma.InputJsonValue> = {}
    for (const [key, value] of Object.entries(item)) {
      if (key === 'service') {
        const service = lookup(services, String(value), 'service', where)
        details.serviceId = service.id
        details.serviceName = service.name
      } else if (key === 'provider') {
        details.providerId = providerIdByName(String(value), where)
        details.providerName = String(value)
      } else if (key === 'mandate') {
        details.mandateId = lookup(mandateIds, String(value), 'mandate', where)
      } else if (value !== null && value !== undefined) {
        details[key] = value as Prisma.InputJsonValue
      }
    }
    return details
  }

  const linkRequestRows: Prisma.LinkRequestCreateManyInput[] = demo.linkRequests.map((r, index) => {
    const where = `link request ${index}`
    const createdAt = at(r.createdAt)
    const expiresAt = addMonths(createdAt, 3)
    if (r.status === 'pending' && expiresAt <= today) throw new Error(`demo.json: ${where}: a pending request would have lapsed`)
    if (r.status === 'lapsed' && expiresAt > today) throw new Error(`demo.json: ${where}: a lapsed request has not expired yet`)
    if (r.status === 'accepted' && !linked.has(`${r.user}|${r.organisation}`)) {
      throw new Error(`demo.json: ${where}: an accepted request needs the link`)
    }
    return {
      id: randomUUID(),
      userId: userId(r.user, where),
      organisationId: orgId(r.organisation, where),
      requestedById: r.requestedBy ? userId(r.requestedBy, where) : null,
      status: r.status,
      createdAt,
      expiresAt,
      decidedAt: r.decidedAt ? at(r.decidedAt) : null,
    }
  })

  // Insert in dependency order: means before mandates (the level trigger reads them).
  await tx.organisation.createMany({ data: organisationRows })
  await tx.branch.createMany({ data: branchRows })
  await tx.legalRepresentative.createMany({ data: legalRepRows })
  await tx.user.createMany({ data: userRows })
  await tx.means.createMany({ data: meansRows })
  await tx.organisationLink.createMany({ data: linkRows })
  await tx.mandate.createMany({ data: mandateRows })
  await tx.chainMandate.createMany({ data: chainRows })
  await tx.application.createMany({ data: applicationRows })
  await tx.applicationItem.createMany({ data: itemRows })
  await tx.applicationSignature.createMany({ data: signatureRows })
  await tx.linkRequest.createMany({ data: linkRequestRows })
}

function refusesBranch(catalogue: Catalogue, serviceUuid: string): boolean {
  return catalogue.providers.some((p) => p.services.some((s) => s.serviceUuid === serviceUuid && s.refusesBranchRestriction))
}

/** Live items must not have ended; expired ones must have. */
function checkStatusMatchesDates(status: string, validUntil: Date, today: Date, where: string): void {
  if (status === 'expired' && validUntil >= today) throw new Error(`demo.json: ${where}: expired but ends ${validUntil.toISOString().slice(0, 10)}`)
  if ((status === 'active' || status === 'pending' || status === 'suspended' || status === 'requested') && validUntil < today) {
    throw new Error(`demo.json: ${where}: ${status} but ended ${validUntil.toISOString().slice(0, 10)}`)
  }
}

/** RSIN/BSN 11-check: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. */
function elfproef(number: string): boolean {
  const digits = [...number].map(Number)
  const sum = digits.slice(0, 8).reduce((total, digit, i) => total + digit * (9 - i), 0) - digits[8]!
  return sum % 11 === 0
}
