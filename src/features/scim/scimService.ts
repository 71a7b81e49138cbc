// SCIM Users of the API client's organisation, through the portal's own services: creating a person
// is "Gebruikers toevoegen" for one row (ImportService.addOne: the same checks, the same transaction,
// the means at the client's level, the activation mail); active=false and DELETE are afmelden
// (src/shared/workflows/offboarding.ts). Only the externalId is stored by SCIM itself.
import { normaliseMobile, parseDateOfBirth } from '../../domain/contact.ts'
import { isoDate } from '../../domain/dates.ts'
import { levelLabel } from '../../domain/levels.ts'
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError } from '../../errors.ts'
import { administeredOrganisation } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, subjectEntry } from '../../shared/audit.ts'
import { PERSON_DATA_SELECT } from '../../shared/selects.ts'
import type { Principal } from '../../shared/principal.ts'
import { offboard } from '../../shared/workflows/offboarding.ts'
import type { Services } from '../../services.ts'
import { ScimError } from '../../web/scimError.ts'
import type { UserFilter } from './filter.ts'
import { emailOf, extensionOf, mobileOf, toScimUser, type ScimUser, type StoredPerson } from './resource.ts'
import { DEFAULT_TERM_YEARS, type ScimUserInput } from './schemas.ts'

type Importer = Pick<Services['importService'], 'addOne'>
type RowErrors = Extract<Awaited<ReturnType<Importer['addOne']>>, { errors: unknown }>['errors']

/** Where a field of "Gebruikers toevoegen" is in a SCIM User (for the error's detail). */
const ATTRIBUTE: Record<string, string> = {
  firstName: 'name.givenName',
  lastNamePrefix: 'lastNamePrefix',
  lastName: 'name.familyName',
  dateOfBirth: 'dateOfBirth',
  email: 'emails',
  mobile: 'phoneNumbers',
  level: 'level',
  termYears: 'termYears',
  organisation: 'organisation',
}

const PERSON = {
  ...PERSON_DATA_SELECT,
  createdAt: true,
  updatedAt: true,
  means: { select: { level: true, status: true, validUntil: true }, orderBy: [{ validUntil: 'desc' as const }] },
} satisfies Prisma.UserSelect

type PersonRow = Prisma.UserGetPayload<{ select: typeof PERSON }>

function stored(user: PersonRow, externalId: string | null): StoredPerson {
  const means = user.means.find((m) => m.status === 'active') ?? user.means.find((m) => m.status === 'requested') ?? user.means[0] ?? null
  return { ...user, externalId, means }
}

export class ScimUsersService {
  constructor(
    private readonly db: PrismaClient,
    private readonly importService: Importer,
  ) {}

  async get(principal: Principal, organisationId: string, userId: string): Promise<ScimUser> {
    administeredOrganisation(principal, organisationId)
    if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new NotFoundError()
    const link = await this.db.organisationLink.findUnique({
      where: { userId_organisationId: { userId, organisationId } },
      select: { externalId: true, user: { select: PERSON } },
    })
    if (!link) throw new NotFoundError()
    return toScimUser(stored(link.user, link.externalId))
  }

  async list(principal: Principal, organisationId: string, filter: UserFilter | null, startIndex: number, count: number) {
    administeredOrganisation(principal, organisationId)
    const where: Prisma.OrganisationLinkWhereInput = { organisationId }
    if (filter && 'email' in filter) where.user = { emailKey: filter.email.toLowerCase() }
    if (filter && 'externalId' in filter) where.externalId = filter.externalId
    if (filter && 'id' in filter) where.userId = /^[0-9a-f-]{36}$/i.test(filter.id) ? filter.id : '00000000-0000-0000-0000-000000000000'
    const [total, links] = await Promise.all([
      this.db.organisationLink.count({ where }),
      count === 0
        ? Promise.resolve([])
        : this.db.organisationLink.findMany({
            where,
            select: { externalId: true, user: { select: PERSON } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            skip: startIndex - 1,
            take: count,
          }),
    ])
    return { total, resources: links.map((l) => toScimUser(stored(l.user, l.externalId))) }
  }

  /** POST /Users: the person is added to the organisation and a means is requested at the client's level. */
  async create(principal: Principal, actor: Actor, organisationId: string, input: ScimUserInput): Promise<ScimUser> {
    const organisation = administeredOrganisation(principal, organisationId)
    if (input.active === false) throw new ScimError(400, 'invalidValue', 'api:errors.scimCreateInactive')
    // userName is the address: a client that finds people by `userName eq` must find this one.
    if (!sameText(input.userName, emailOf(input))) throw new ScimError(400, 'invalidValue', 'api:errors.scimUserName', {}, 'userName')
    await this.assertExternalIdFree(organisationId, input.externalId ?? null, null)
    const extension = extensionOf(input)
    const result = await this.importService.addOne(
      principal,
      actor,
      {
        firstName: input.name?.givenName ?? '',
        lastNamePrefix: extension.lastNamePrefix ?? '',
        lastName: input.name?.familyName ?? '',
        dateOfBirth: extension.dateOfBirth ?? '',
        email: emailOf(input),
        mobile: mobileOf(input) ?? '',
        level: levelLabel(organisation.level),
        termYears: String(extension.termYears ?? DEFAULT_TERM_YEARS),
        organisation: organisationId,
      },
      { externalId: input.externalId ?? null },
    )
    if ('errors' in result) throw refusal(result.errors)
    return this.get(principal, organisationId, result.userId)
  }

  /**
   * PUT (and PATCH, after applying its operations): externalId may change; the person's own data
   * (name, date of birth, e-mail, mobile) may only be sent unchanged; active=false offboards.
   * Returns the resource as it is now (after offboarding: the last state, with active false).
   */
  async replace(principal: Principal, actor: Actor, organisationId: string, userId: string, input: ScimUserInput): Promise<ScimUser> {
    const current = await this.get(principal, organisationId, userId)
    const link = await this.db.organisationLink.findUniqueOrThrow({
      where: { userId_organisationId: { userId, organisationId } },
      select: { id: true, externalId: true, user: { select: PERSON } },
    })
    assertUnchanged(link.user, input)
    const externalId = input.externalId === undefined ? link.externalId : input.externalId
    if (externalId !== link.externalId) {
      await this.assertExternalIdFree(organisationId, externalId, link.id)
      await this.db.$transaction(async (tx) => {
        await tx.organisationLink.update({ where: { id: link.id }, data: { externalId } })
        const change = { before: { externalId: link.externalId }, after: { externalId } }
        await recordAudit(tx, actor, subjectEntry('user.external_id_changed', 'user', { id: userId, organisationId }, change))
      })
    }
    if (input.active === false) {
      await offboard(this.db, actor, { userId, organisationId })
      return { ...current, externalId: externalId ?? undefined, active: false }
    }
    return this.get(principal, organisationId, userId)
  }

  /** DELETE: offboarding; the person's account and means stay (rule 19). */
  async remove(principal: Principal, actor: Actor, organisationId: string, userId: string): Promise<void> {
    await this.get(principal, organisationId, userId)
    await offboard(this.db, actor, { userId, organisationId })
  }

  private async assertExternalIdFree(organisationId: string, externalId: string | null, linkId: string | null): Promise<void> {
    if (!externalId) return
    const other = await this.db.organisationLink.findFirst({ where: { organisationId, externalId, ...(linkId ? { NOT: { id: linkId } } : {}) } })
    if (other) throw new ScimError(409, 'uniqueness', 'api:errors.externalIdInUse')
  }
}

/** The import's first refusal as a SCIM error: an address in use is 409 uniqueness, the rest 400. */
function refusal(errors: RowErrors): ScimError {
  const entries = Object.entries(errors)
  const inUse = entries.find(([, e]) => e.key === 'users:import.errors.emailInUse')
  if (inUse) return new ScimError(409, 'uniqueness', inUse[1].key)
  const [field, first] = entries[0] ?? ['', { key: 'common:errors.badRequestText' }]
  return new ScimError(400, 'invalidValue', first.key, first.params ?? {}, ATTRIBUTE[field] ?? field)
}

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase()
}

/** The person's own data may be sent again, not changed (an absent attribute leaves it as it is). */
function assertUnchanged(user: PersonRow, input: ScimUserInput): void {
  const extension = extensionOf(input)
  const changed = (attribute: string) => new ScimError(400, 'mutability', 'api:errors.scimImmutable', { attribute })
  if (!sameText(emailOf(input), user.email) || !sameText(input.userName, user.email)) throw changed('userName / emails')
  if (input.name?.givenName != null && !sameText(input.name.givenName, user.firstName)) throw changed('name.givenName')
  if (input.name?.familyName != null && !sameText(input.name.familyName, user.lastName)) throw changed('name.familyName')
  if (extension.lastNamePrefix !== undefined && !sameText(extension.lastNamePrefix, user.lastNamePrefix)) throw changed('lastNamePrefix')
  if (extension.dateOfBirth !== undefined) {
    const dob = parseDateOfBirth(extension.dateOfBirth)
    if (!dob || isoDate(dob) !== isoDate(user.dateOfBirth)) throw changed('dateOfBirth')
  }
  const mobile = mobileOf(input)
  if (mobile !== null && normaliseMobile(mobile) !== user.mobile) throw changed('phoneNumbers')
}
