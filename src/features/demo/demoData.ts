// The demo data and the service catalogue as files, validated: prisma/seed/services.json (the
// dienstencatalogus) and prisma/seed/demo.json (organisations, users, means, mandates, applications,
// link requests), their relative dates ('-400d', '+45d', '+1y', '0d', so the demo always looks
// current), and the fixed demo accounts. Nothing here writes; seedDemo.ts and demoRows.ts do.
import { z } from 'zod'
import servicesJson from '../../../prisma/seed/services.json' with { type: 'json' }
import demoJson from '../../../prisma/seed/demo.json' with { type: 'json' }
import { addDays } from '../../domain/dates.ts'
import { LEVELS, levelLabel, parseLevel } from '../../domain/levels.ts'
import { LINK_REQUEST_STATUSES, MANDATE_STATUSES, MEANS_STATUSES } from '../../domain/statuses.ts'

/** The fixed demo accounts (README and tests rely on these exact values). */
export const DEMO_PASSWORD = 'Demo-wachtwoord-2026'

/**
 * Why `npm run db:seed` must not run here, or null. The demo accounts have the published password
 * above and known TOTP secrets: never in production unless `--force-demo` says the operator means it.
 * (The start-up seed in src/server.ts never runs in production at all.)
 */
export function demoSeedRefusal(config: { production: boolean }, args: readonly string[]): string | null {
  if (!config.production || args.includes('--force-demo')) return null
  return (
    'Refusing to seed the demo data with NODE_ENV=production: its accounts have a published password (see README). ' +
    'Run `npm run db:seed -- --force-demo` if you really want demo accounts in this database.'
  )
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
// Dates

const RELATIVE = /^([+-]?)(\d+)([dmy])$/
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}$/
const dateText = z.string().refine((value) => RELATIVE.test(value) || ABSOLUTE.test(value), {
  message: "expected a relative date like '-400d', '+45d', '+1y' or an ISO date YYYY-MM-DD",
})

/** UTC midnight of the given instant's UTC calendar day (the form of a `@db.Date` column). */
export function utcMidnight(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes()))
}

export function resolveDate(text: string, today: Date): Date {
  if (ABSOLUTE.test(text)) return new Date(`${text}T00:00:00.000Z`)
  const match = RELATIVE.exec(text)
  if (!match) throw new Error(`invalid date ${text}`)
  const amount = Number(match[2]) * (match[1] === '-' ? -1 : 1)
  if (match[3] === 'd') return addDays(today, amount)
  return addMonths(today, match[3] === 'm' ? amount : amount * 12)
}

/** A moment on a relative day: 09:00 UTC, so seeded timestamps fall in office hours. */
export function resolveTimestamp(text: string, today: Date): Date {
  return new Date(resolveDate(text, today).getTime() + 9 * 3_600_000)
}

// ---------------------------------------------------------------------------------------------
// The JSON files, validated

/** A level as the files spell it (EH2, EH2+, EH3, EH4), read as the database's level (EH2+ → EH2_PLUS). */
const level = z
  .string()
  .refine((value) => LEVELS.some((l) => levelLabel(l) === value), { message: 'expected EH2, EH2+, EH3 or EH4' })
  .transform((value) => parseLevel(value)!)
const uuidV4 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'expected a lower-case uuid v4')

export const catalogueSchema = z.object({
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

const mandateStatus = z.enum(MANDATE_STATUSES)
const scope = z.enum(['service', 'provider', 'all'])

export const demoSchema = z.object({
  description: z.string().optional(),
  organisations: z
    .array(
      z.object({
        ref: z.string(),
        kvkNumber: z.string().regex(/^[0-9]{8}$/),
        rsin: z
          .string()
          .regex(/^[0-9]{9}$/)
          .nullable()
          .optional(),
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
      totpSecret: z
        .string()
        .regex(/^[A-Z2-7]{16,}$/)
        .nullable()
        .optional(),
      totpEnabledAt: dateText.optional(),
      means: z.array(
        z.object({
          level,
          status: z.enum(MEANS_STATUSES),
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
      termYears: z
        .union([z.literal(1), z.literal(3), z.literal(5)])
        .nullable()
        .optional(),
      subjectUser: z.string().optional(),
      requestedBy: z.string().optional(),
      createdAt: dateText,
      decidedAt: dateText.optional(),
      rejectionReason: z.string().max(1000).optional(),
      items: z.array(z.record(z.string(), z.unknown())),
      signatures: z.array(
        z.union([z.object({ adminUser: z.string(), signedAt: dateText }), z.object({ legalRepresentative: z.string(), signedAt: dateText })]),
      ),
    }),
  ),
  linkRequests: z.array(
    z.object({
      user: z.string(),
      organisation: z.string(),
      requestedBy: z.string().optional(),
      status: z.enum(LINK_REQUEST_STATUSES),
      createdAt: dateText,
      decidedAt: dateText.optional(),
    }),
  ),
})

export type Catalogue = z.infer<typeof catalogueSchema>
export type Demo = z.infer<typeof demoSchema>

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

export function loadDemo(): Demo {
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
