// /api/v1/users/{id}/means: a person's means (list), "Nieuw Middel Aanvragen" and "Middel upgraden"
// through MeansRequestService, as the user page does it (a signed application in one transaction).
// Scopes: users:read and users:write (a means belongs to the person; see README).
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { apiActor, apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { idempotent } from './idempotency.ts'
import { idOf, jsonBody, parseInput } from './parse.ts'
import { MeansRequest, MeansUpgradeRequest } from './schemas.ts'

/** The organisation a means request is made for: the client's, or another it administers (else 404). */
function organisationOf(req: Request, requested: string | undefined): string {
  const caller = apiCaller(req)
  const id = requested ?? caller.client.organisationId
  if (!caller.principal.adminOrganisations.some((o) => o.id === id)) throw new Problem(404, 'common:errors.notFoundText')
  return id
}

export function meansApiRoutes({ usersService, meansRequestService, db }: Services): Router {
  const router = Router()

  router.get(paths.api.userMeans, allow('anonymous'), requireScope('users:read'), async (req, res) => {
    const { user } = await usersService.detail(apiCaller(req).principal, idOf(req))
    res.json({
      data: user.means.map((m) => ({ id: m.id, level: m.level, status: m.status, validFrom: isoDate(m.validFrom), validUntil: isoDate(m.validUntil) })),
    })
  })

  router.post(paths.api.userMeans, allow('anonymous'), requireScope('users:write'), async (req, res) => {
    const userId = idOf(req)
    const input = parseInput(MeansRequest, jsonBody(req), req)
    const organisationId = organisationOf(req, input.organisationId)
    await idempotent(db, req, res, async () => {
      const outcome = await meansRequestService.requestNew(apiCaller(req).principal, apiActor(req), {
        userId,
        organisationId,
        level: input.level,
        termYears: input.termYears,
      })
      return { status: 201, body: { userId, level: input.level, outcome } }
    })
  })

  router.post(paths.api.userMeansUpgrade, allow('anonymous'), requireScope('users:write'), async (req, res) => {
    const userId = idOf(req)
    const input = parseInput(MeansUpgradeRequest, jsonBody(req), req)
    const organisationId = organisationOf(req, input.organisationId)
    const principal = apiCaller(req).principal
    await idempotent(db, req, res, async () => {
      // The page's two steps at once: what the person's means is now, then the upgrade bound to it.
      const preview = await meansRequestService.upgradePreview(principal, organisationId, [userId], input.level)
      const refusal = preview.candidates[0]?.refusal
      if (refusal) throw new Problem(422, `users:upgradeMany.refusals.${refusal}`)
      const done = await meansRequestService.upgradeMany(principal, apiActor(req), organisationId, [userId], input.level, preview.digest)
      if (done.status === 'changed') throw new Problem(409, 'api:errors.ifMatch')
      return { status: 201, body: { userId, level: input.level, outcome: Object.keys(done.outcomes)[0] ?? 'requested' } }
    })
  })

  return router
}
