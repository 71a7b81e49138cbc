// /api/v1/mandates: the Machtigingen list (the page's filters, keyset cursor), one mandate, grant,
// revoke and renew, through the same services as the pages (rules 1, 2, 4, 5, 6, 9 applied there).
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { mandateListFilter } from '../../shared/mandateFilters.ts'
import { apiActor, apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { assertIfMatch, sendTagged } from './etag.ts'
import { idempotent } from './idempotency.ts'
import { idOf, jsonBody, parseInput } from './parse.ts'
import { mandateJson } from './present.ts'
import { GrantRequest, MandateListQuery, RenewRequest } from './schemas.ts'

export function mandateApiRoutes(services: Services): Router {
  const { mandateListService, mandateWizardService, mandateLifecycleService, db } = services
  const router = Router()
  const read = requireScope('mandates:read')
  const write = requireScope('mandates:write')

  router.get(paths.api.mandates, allow('anonymous'), read, async (req, res) => {
    const q = parseInput(MandateListQuery, req.query, req)
    const filter = mandateListFilter({ ...q, inactive: q.inactive === 'true', pageSize: q.limit })
    const [date, id] = q.cursor ? q.cursor.split('_') : []
    if (date && Number.isNaN(Date.parse(date))) throw new Problem(400, 'api:errors.cursor')
    const cursor = date && id ? { direction: 'after' as const, date, id } : null
    const page = await mandateListService.list(apiCaller(req).principal, filter, cursor)
    res.json({ data: page.rows.map(mandateJson), next: page.next ? `${page.next.date}_${page.next.id}` : null })
  })

  /** One mandate as GET returns it (and as its ETag is computed). */
  async function detail(req: Request, id: string) {
    const m = await mandateListService.getForAdmin(apiCaller(req).principal, id)
    return {
      id: m.id,
      userId: m.userId,
      userName: m.userName,
      userEmail: m.user.email,
      organisationId: m.organisationId,
      organisationName: m.organisation.name,
      scope: m.scope,
      serviceName: m.service?.name ?? null,
      providerName: m.provider?.name ?? m.service?.provider.name ?? null,
      level: m.level,
      branchName: m.branch?.name ?? null,
      validFrom: isoDate(m.validFrom),
      validUntil: isoDate(m.validUntil),
      status: m.status,
    }
  }

  router.get(paths.api.mandate, allow('anonymous'), read, async (req, res) => {
    sendTagged(res, await detail(req, idOf(req)))
  })

  router.post(paths.api.mandates, allow('anonymous'), write, async (req, res) => {
    const input = parseInput(GrantRequest, jsonBody(req), req)
    await idempotent(db, req, res, async () => {
      const granted = await mandateWizardService.grant(apiActor(req), { ...input, branchId: input.branchId ?? null })
      const data = granted.mandates.map((m) => ({ id: m.id, status: m.status, validFrom: isoDate(m.validFrom), validUntil: isoDate(m.validUntil) }))
      return { status: 201, body: { data } }
    })
  })

  router.post(paths.api.mandateRevoke, allow('anonymous'), write, async (req, res) => {
    const id = idOf(req)
    await idempotent(db, req, res, async () => {
      await assertIfMatch(req, () => detail(req, id))
      await mandateLifecycleService.revoke(apiActor(req), id)
      return { status: 200, body: { id, status: 'revoked' } }
    })
  })

  router.post(paths.api.mandateRenew, allow('anonymous'), write, async (req, res) => {
    const id = idOf(req)
    const input = parseInput(RenewRequest, jsonBody(req), req)
    await idempotent(db, req, res, async () => {
      await assertIfMatch(req, () => detail(req, id))
      const [outcome] = await mandateLifecycleService.renew(apiActor(req), { ids: [id] }, input.termYears)
      if (!outcome) throw new Problem(404, 'common:errors.notFoundText')
      if (outcome.refusal) throw new Problem(422, `mandates:refusals.${outcome.refusal}`)
      return { status: 200, body: { id, validUntil: outcome.newUntil ? isoDate(outcome.newUntil) : null, refusal: null, detail: null } }
    })
  })

  return router
}
