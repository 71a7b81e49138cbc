// GET /api/v1/authorisations/check: who may act (rule 21) through the one resolver
// (src/shared/authorisations.ts), for the API client's organisation (or another it administers).
import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { check } from '../../shared/authorisations.ts'
import { apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { parseInput } from './parse.ts'
import { AuthorisationCheckQuery } from './schemas.ts'

export function authorisationApiRoutes({ db }: Services): Router {
  const router = Router()
  router.get(paths.api.authorisationCheck, allow('anonymous'), requireScope('mandates:read'), async (req, res) => {
    const q = parseInput(AuthorisationCheckQuery, req.query, req)
    const caller = apiCaller(req)
    const organisationId = q.organisationId ?? caller.client.organisationId
    if (!caller.principal.adminOrganisations.some((o) => o.id === organisationId)) throw new Problem(404, 'common:errors.notFoundText')
    const answer = await check(db, q.userId, organisationId, q.serviceId)
    res.json(
      answer.allowed
        ? { allowed: true, level: answer.level, path: answer.path, reason: null }
        : { allowed: false, level: null, path: null, reason: answer.reason },
    )
  })
  return router
}
