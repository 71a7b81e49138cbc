// /api/v1/users: the Gebruikers list (filters, keyset cursor) and one user, through UsersService;
// adding a person is "Gebruikers toevoegen" for one row (ImportService.addOne, as SCIM does), and
// offboarding is afmelden (src/shared/workflows/offboarding.ts, as SCIM's DELETE).
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { levelLabel } from '../../domain/levels.ts'
import { offboard } from '../../shared/workflows/offboarding.ts'
import { translator } from '../../i18n/index.ts'
import { apiActor, apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem, apiLocale } from '../../web/problem.ts'
import { assertIfMatch, sendTagged } from './etag.ts'
import { idempotent } from './idempotency.ts'
import { idOf, jsonBody, parseInput } from './parse.ts'
import { userJson } from './present.ts'
import { AddUserRequest, UserListQuery } from './schemas.ts'

type RowErrors = Extract<Awaited<ReturnType<Services['importService']['addOne']>>, { errors: unknown }>['errors']

/** The import's refusals as a problem: an address in use is 409, the rest 422 with each field's message. */
function refusal(errors: RowErrors, req: Parameters<typeof apiLocale>[0]): Problem {
  const entries = Object.entries(errors)
  if (entries.some(([, e]) => e.key === 'users:import.errors.emailInUse')) return new Problem(409, 'users:import.errors.emailInUse')
  const t = translator(apiLocale(req))
  const items = entries.map(([field, e]) => ({ pointer: `/${field === 'organisation' ? 'organisationId' : field}`, detail: t(e.key, e.params ?? {}) }))
  return new Problem(422, entries[0]?.[1].key ?? 'common:errors.badRequestText', entries[0]?.[1].params ?? {}, items)
}

export function userApiRoutes({ usersService, importService, db }: Services): Router {
  const router = Router()
  const read = requireScope('users:read')
  const write = requireScope('users:write')

  router.get(paths.api.users, allow('anonymous'), read, async (req, res) => {
    const q = parseInput(UserListQuery, req.query, req)
    const page = await usersService.list(apiCaller(req).principal, { organisationId: q.organisationId, level: q.level, q: q.q }, q.cursor)
    res.json({ data: page.rows.map(userJson), next: page.next })
  })

  /** One user as GET returns it (and as its ETag is computed). */
  async function detail(req: Request, id: string) {
    const { user } = await usersService.detail(apiCaller(req).principal, id)
    return {
      id: user.id,
      firstName: user.firstName,
      lastNamePrefix: user.lastNamePrefix,
      lastName: user.lastName,
      email: user.email,
      organisations: user.links.map((l) => ({ id: l.organisation.id, name: l.organisation.name })),
      means: user.means.map((m) => ({ id: m.id, level: m.level, status: m.status, validUntil: isoDate(m.validUntil) })),
    }
  }

  router.get(paths.api.user, allow('anonymous'), read, async (req, res) => {
    sendTagged(res, await detail(req, idOf(req)))
  })

  router.post(paths.api.users, allow('anonymous'), write, async (req, res) => {
    const input = parseInput(AddUserRequest, jsonBody(req), req)
    const caller = apiCaller(req)
    const organisationId = input.organisationId ?? caller.client.organisationId
    const organisation = caller.principal.adminOrganisations.find((o) => o.id === organisationId)
    if (!organisation) throw new Problem(404, 'common:errors.notFoundText')
    await idempotent(db, req, res, async () => {
      const values = {
        firstName: input.firstName,
        lastNamePrefix: input.lastNamePrefix ?? '',
        lastName: input.lastName,
        dateOfBirth: input.dateOfBirth,
        email: input.email,
        mobile: input.mobile,
        level: levelLabel(input.level ?? organisation.level),
        termYears: String(input.termYears),
        organisation: organisationId,
      }
      const result = await importService.addOne(caller.principal, apiActor(req), values, { externalId: input.externalId ?? null })
      if ('errors' in result) throw refusal(result.errors, req)
      return { status: 201, body: { id: result.userId, organisationId, meansStatus: result.active ? 'active' : 'requested' } }
    })
  })

  router.post(paths.api.userOffboard, allow('anonymous'), write, async (req, res) => {
    const id = idOf(req)
    const organisationId = apiCaller(req).client.organisationId
    await idempotent(db, req, res, async () => {
      await assertIfMatch(req, () => detail(req, id))
      const done = await offboard(db, apiActor(req), { userId: id, organisationId })
      return { status: 200, body: { id, organisationId, revokedMandates: done.revokedMandates, endedAssignments: done.endedAssignments } }
    })
  })

  return router
}
