// The rows of the demo (prisma/seed/demo.json) as the database takes them, checked on the way for
// the rules the database cannot see (links, branches of the organisation, rule 1 for active mandates,
// rule 3 for admin mandates), then inserted in dependency order in the seeder's transaction.
import { randomUUID } from 'node:crypto'
import type { Prisma } from '../../generated/prisma/client.ts'
import type { Level } from '../../domain/levels.ts'
import { levelLabel } from '../../domain/levels.ts'
import { adminMeansFits, meansCoversLevel } from '../../domain/rules.ts'
import { LINK_REQUEST_MONTHS } from '../../domain/terms.ts'
import type { Tx } from '../../db/tx.ts'
import { addMonths, loadServiceCatalogue, resolveDate, resolveTimestamp, type Catalogue, type Demo } from './demoData.ts'

/** What every part of the demo looks things up in: its dates, and the catalogue by name. */
type Context = {
  today: Date
  date: (text: string) => Date
  at: (text: string) => Date
  catalogue: Catalogue
  services: Map<string, { id: string; name: string; requiredLevel: Level; providerName: string }>
  providerIdByName: (name: string | undefined, where: string) => string
}

type Organisations = {
  orgId: (ref: string | undefined, where: string) => string
  branches: Map<string, { id: string; organisationRef: string }>
  legalReps: Map<string, { id: string; organisationRef: string }>
  organisationRows: Prisma.OrganisationCreateManyInput[]
  branchRows: Prisma.BranchCreateManyInput[]
  legalRepRows: Prisma.LegalRepresentativeCreateManyInput[]
}

type People = {
  userId: (ref: string | undefined, where: string) => string
  /** `${userRef}|${organisationRef}` of every link. */
  linked: Set<string>
  activeMeansLevels: Map<string, Level[]>
  userRows: Prisma.UserCreateManyInput[]
  meansRows: Prisma.MeansCreateManyInput[]
  linkRows: Prisma.OrganisationLinkCreateManyInput[]
}

function lookup<T>(map: Map<string, T>, key: string | undefined, what: string, where: string): T {
  if (key === undefined) throw new Error(`demo.json: ${where} needs a ${what}`)
  const value = map.get(key)
  if (value === undefined) throw new Error(`demo.json: ${where} names unknown ${what} '${key}'`)
  return value
}

async function demoContext(tx: Tx, today: Date): Promise<Context> {
  // Catalogue lookups (by service name and provider name as in services.json).
  const providers = new Map((await tx.serviceProvider.findMany()).map((p) => [p.name, p]))
  const catalogue = loadServiceCatalogue()
  const services: Context['services'] = new Map()
  for (const provider of catalogue.providers) {
    for (const s of provider.services) {
      services.set(s.name, { id: s.serviceUuid, name: s.name, requiredLevel: s.requiredLevel, providerName: provider.name })
    }
  }
  return {
    today,
    date: (text) => resolveDate(text, today),
    at: (text) => resolveTimestamp(text, today),
    catalogue,
    services,
    providerIdByName: (name, where) => lookup(providers, name, 'provider', where).id,
  }
}

/** Organisations, branches, legal representatives. */
function organisationRows(demo: Demo): Organisations {
  const orgIds = new Map<string, string>()
  const result: Organisations = {
    orgId: (ref, where) => lookup(orgIds, ref, 'organisation', where),
    branches: new Map(),
    legalReps: new Map(),
    organisationRows: [],
    branchRows: [],
    legalRepRows: [],
  }
  for (const org of demo.organisations) {
    if (org.rsin && !elfproef(org.rsin)) throw new Error(`demo.json: RSIN ${org.rsin} fails the 11-check`)
    const id = randomUUID()
    orgIds.set(org.ref, id)
    result.organisationRows.push({ id, kvkNumber: org.kvkNumber, rsin: org.rsin ?? null, name: org.name })
    for (const branch of org.branches) {
      const branchId = randomUUID()
      result.branches.set(branch.ref, { id: branchId, organisationRef: org.ref })
      result.branchRows.push({ id: branchId, organisationId: id, branchNumber: branch.branchNumber, name: branch.name, city: branch.city ?? null })
    }
    for (const rep of org.legalRepresentatives) {
      const repId = randomUUID()
      result.legalReps.set(rep.ref, { id: repId, organisationRef: org.ref })
      result.legalRepRows.push({ id: repId, organisationId: id, name: rep.name, email: rep.email, authority: rep.authority })
    }
  }
  return result
}

/** Users, their means and links. */
function peopleRows(demo: Demo, ctx: Context, orgs: Organisations, hashes: Map<string, string>): People {
  const userIds = new Map<string, string>()
  const people: People = {
    userId: (ref, where) => lookup(userIds, ref, 'user', where),
    linked: new Set(),
    activeMeansLevels: new Map(),
    userRows: [],
    meansRows: [],
    linkRows: [],
  }
  for (const user of demo.users) {
    const id = randomUUID()
    userIds.set(user.ref, id)
    people.userRows.push({
      id,
      firstName: user.firstName,
      lastNamePrefix: user.lastNamePrefix ?? null,
      lastName: user.lastName,
      dateOfBirth: ctx.date(user.dateOfBirth),
      email: user.email,
      mobile: user.mobile ?? null,
      role: user.role,
      passwordHash: user.password ? (hashes.get(user.password) ?? null) : null,
      totpSecret: user.totpSecret ?? null,
      totpEnabledAt: user.totpSecret && user.totpEnabledAt ? ctx.at(user.totpEnabledAt) : null,
    })
    for (const means of user.means) {
      const validFrom = ctx.date(means.validFrom)
      const validUntil = ctx.date(means.validUntil)
      checkStatusMatchesDates(means.status, validUntil, ctx.today, `means of ${user.ref}`)
      if (means.status === 'active') people.activeMeansLevels.set(user.ref, [...(people.activeMeansLevels.get(user.ref) ?? []), means.level])
      people.meansRows.push({
        id: randomUUID(),
        userId: id,
        level: means.level,
        status: means.status,
        validFrom,
        validUntil,
        issuedAt: means.issuedAt ? ctx.at(means.issuedAt) : null,
      })
    }
    for (const link of user.links) {
      people.linked.add(`${user.ref}|${link.organisation}`)
      people.linkRows.push({
        id: randomUUID(),
        userId: id,
        organisationId: orgs.orgId(link.organisation, `link of ${user.ref}`),
        ...(link.since ? { createdAt: ctx.at(link.since) } : {}),
      })
    }
  }
  return people
}

/**
 * Mandates. The database checks levels, terms and live uniqueness; the rules it cannot see (link,
 * branch of the organisation, admin level = means level) are checked here.
 */
function mandateRows(demo: Demo, ctx: Context, orgs: Organisations, people: People) {
  const mandateIds = new Map<string, string>()
  const rows: Prisma.MandateCreateManyInput[] = []
  for (const [index, m] of demo.mandates.entries()) {
    const where = `mandate ${m.ref ?? index} (${m.user} at ${m.organisation})`
    const id = randomUUID()
    if (m.ref) mandateIds.set(m.ref, id)
    if (!people.linked.has(`${m.user}|${m.organisation}`)) throw new Error(`demo.json: ${where}: the holder is not linked to the organisation`)
    const validUntil = ctx.date(m.validUntil)
    checkStatusMatchesDates(m.status, validUntil, ctx.today, where)
    const meansLevels = people.activeMeansLevels.get(m.user) ?? []
    if (m.status === 'active' && !meansCoversLevel(meansLevels, m.level)) {
      throw new Error(`demo.json: ${where}: no active means at ${levelLabel(m.level)} or higher`)
    }
    if (m.kind === 'admin' && (m.scope !== 'all' || !meansLevels.some((l) => adminMeansFits(l, m.level)))) {
      throw new Error(`demo.json: ${where}: an admin mandate has scope 'all' and the level of an active means`)
    }
    const branchId = m.branch ? branchOf(orgs, m.branch, m.organisation, where) : null
    const service = m.scope === 'service' ? lookup(ctx.services, m.service, 'service', where) : undefined
    if (service && m.branch && refusesBranch(ctx.catalogue, service.id)) {
      throw new Error(`demo.json: ${where}: ${service.name} refuses branch-restricted mandates`)
    }
    rows.push({
      id,
      kind: m.kind,
      userId: people.userId(m.user, where),
      organisationId: orgs.orgId(m.organisation, where),
      scope: m.scope,
      serviceId: service?.id ?? null,
      providerId: m.scope === 'provider' ? ctx.providerIdByName(m.provider, where) : null,
      level: m.level,
      branchId,
      validFrom: ctx.date(m.validFrom),
      validUntil,
      status: m.status,
      grantedById: m.grantedBy ? people.userId(m.grantedBy, where) : null,
      revokedAt: m.status === 'revoked' ? ctx.at(m.revokedAt ?? '0d') : null,
    })
  }
  return { mandateIds, rows }
}

/** A branch restriction (rule 6): a branch of the mandate's organisation. */
function branchOf(orgs: Organisations, ref: string, organisationRef: string, where: string): string {
  const branch = lookup(orgs.branches, ref, 'branch', where)
  if (branch.organisationRef !== organisationRef) throw new Error(`demo.json: ${where}: branch ${ref} is not a branch of the organisation`)
  return branch.id
}

function chainRows(demo: Demo, ctx: Context, orgs: Organisations): Prisma.ChainMandateCreateManyInput[] {
  return demo.chainMandates.map((c, index) => {
    const where = `chain mandate ${index}`
    return {
      id: randomUUID(),
      organisationId: orgs.orgId(c.organisation, where),
      intermediaryOrganisationId: orgs.orgId(c.intermediary, where),
      scope: c.scope,
      serviceId: c.scope === 'service' ? lookup(ctx.services, c.service, 'service', where).id : null,
      providerId: c.scope === 'provider' ? ctx.providerIdByName(c.provider, where) : null,
      level: c.level,
      validFrom: ctx.date(c.validFrom),
      validUntil: ctx.date(c.validUntil),
      status: c.status,
    }
  })
}

/** Applications with their items and signatures. */
function applicationRows(demo: Demo, ctx: Context, orgs: Organisations, people: People, mandateIds: Map<string, string>) {
  const applications: Prisma.ApplicationCreateManyInput[] = []
  const items: Prisma.ApplicationItemCreateManyInput[] = []
  const signatures: Prisma.ApplicationSignatureCreateManyInput[] = []
  for (const [index, a] of demo.applications.entries()) {
    const where = `application ${index} (${a.type} at ${a.organisation})`
    const id = randomUUID()
    applications.push({
      id,
      organisationId: orgs.orgId(a.organisation, where),
      type: a.type,
      status: a.status,
      level: a.level ?? null,
      termYears: a.termYears ?? null,
      subjectUserId: a.subjectUser ? people.userId(a.subjectUser, where) : null,
      requestedById: a.requestedBy ? people.userId(a.requestedBy, where) : null,
      rejectionReason: a.rejectionReason ?? null,
      createdAt: ctx.at(a.createdAt),
      decidedAt: a.decidedAt ? ctx.at(a.decidedAt) : null,
    })
    for (const item of a.items) {
      items.push({ id: randomUUID(), applicationId: id, details: itemDetails(ctx, mandateIds, item, where) })
    }
    for (const signature of a.signatures) {
      if ('adminUser' in signature) {
        signatures.push({
          id: randomUUID(),
          applicationId: id,
          signerType: 'admin',
          adminUserId: people.userId(signature.adminUser, where),
          signedAt: ctx.at(signature.signedAt),
        })
      } else {
        const rep = lookup(orgs.legalReps, signature.legalRepresentative, 'legal representative', where)
        if (rep.organisationRef !== a.organisation) throw new Error(`demo.json: ${where}: ${signature.legalRepresentative} does not represent the organisation`)
        signatures.push({
          id: randomUUID(),
          applicationId: id,
          signerType: 'legal_representative',
          legalRepresentativeId: rep.id,
          signedAt: ctx.at(signature.signedAt),
        })
      }
    }
  }
  return { applications, items, signatures }
}

function itemDetails(ctx: Context, mandateIds: Map<string, string>, item: Record<string, unknown>, where: string): Prisma.InputJsonObject {
  const details: Record<string, Prisma.InputJsonValue> = {}
  for (const [key, value] of Object.entries(item)) {
    if (key === 'service') {
      const service = lookup(ctx.services, String(value), 'service', where)
      details.serviceId = service.id
      details.serviceName = service.name
    } else if (key === 'provider') {
      details.providerId = ctx.providerIdByName(String(value), where)
      details.providerName = String(value)
    } else if (key === 'mandate') {
      details.mandateId = lookup(mandateIds, String(value), 'mandate', where)
    } else if (value !== null && value !== undefined) {
      details[key] = value
    }
  }
  return details
}

/** Link requests (rule 8: a request lapses after three months). */
function linkRequestRows(demo: Demo, ctx: Context, orgs: Organisations, people: People): Prisma.LinkRequestCreateManyInput[] {
  return demo.linkRequests.map((r, index) => {
    const where = `link request ${index}`
    const createdAt = ctx.at(r.createdAt)
    const expiresAt = addMonths(createdAt, LINK_REQUEST_MONTHS)
    if (r.status === 'pending' && expiresAt <= ctx.today) throw new Error(`demo.json: ${where}: a pending request would have lapsed`)
    if (r.status === 'lapsed' && expiresAt > ctx.today) throw new Error(`demo.json: ${where}: a lapsed request has not expired yet`)
    if (r.status === 'accepted' && !people.linked.has(`${r.user}|${r.organisation}`)) {
      throw new Error(`demo.json: ${where}: an accepted request needs the link`)
    }
    return {
      id: randomUUID(),
      userId: people.userId(r.user, where),
      organisationId: orgs.orgId(r.organisation, where),
      requestedById: r.requestedBy ? people.userId(r.requestedBy, where) : null,
      status: r.status,
      createdAt,
      expiresAt,
      decidedAt: r.decidedAt ? ctx.at(r.decidedAt) : null,
    }
  })
}

/** Builds every row of the demo (throwing at the first inconsistency in demo.json), then inserts them. */
export async function insertDemo(tx: Tx, demo: Demo, today: Date, hashes: Map<string, string>): Promise<void> {
  const ctx = await demoContext(tx, today)
  const orgs = organisationRows(demo)
  const people = peopleRows(demo, ctx, orgs, hashes)
  const mandates = mandateRows(demo, ctx, orgs, people)
  const chains = chainRows(demo, ctx, orgs)
  const applications = applicationRows(demo, ctx, orgs, people, mandates.mandateIds)
  const linkRequests = linkRequestRows(demo, ctx, orgs, people)

  // Insert in dependency order: means before mandates (the level trigger reads them).
  await tx.organisation.createMany({ data: orgs.organisationRows })
  await tx.branch.createMany({ data: orgs.branchRows })
  await tx.legalRepresentative.createMany({ data: orgs.legalRepRows })
  await tx.user.createMany({ data: people.userRows })
  await tx.means.createMany({ data: people.meansRows })
  await tx.organisationLink.createMany({ data: people.linkRows })
  await tx.mandate.createMany({ data: mandates.rows })
  await tx.chainMandate.createMany({ data: chains })
  await tx.application.createMany({ data: applications.applications })
  await tx.applicationItem.createMany({ data: applications.items })
  await tx.applicationSignature.createMany({ data: applications.signatures })
  await tx.linkRequest.createMany({ data: linkRequests })
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
