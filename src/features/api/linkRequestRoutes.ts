// /api/v1/link-requests: the organisation's verzoeken (rule 8) through RequestsService, as on the
// Verzoeken page: list, one (with its ETag), "Nieuw verzoek", and cancelling an open one (If-Match).
// Scopes: users:read and users:write (a link request is how a person joins the organisation).
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { apiActor, apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { assertIfMatch, sendTagged } from './etag.ts'
import { idempotent } from './idempotency.ts'
import { idOf, jsonBody, parseInput } from './parse.ts'
import { NewLinkRequest } from './schemas.ts'

type Row = Awaited<ReturnType<Services['requestsService']['listForAdmin']>>[number]

function requestJson(r: Row) {
  return {
    id: r.id,
    organisationId: r.organisationId,
    organisationName: r.organisation.name,
    email: r.email,
    name: r.name,
    status: r.shownStatus,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
  }
}

export function linkRequestApiRoutes({ requestsService, db }: Services): Router {
  const router = Router()
  const read = requireScope('users:read')
  const write = requireScope('users:write')

  async function one(req: Request, id: string) {
    const found = (await requestsService.listForAdmin(apiCaller(req).principal)).find((r) => r.id === id)
    if (!found) throw new Problem(404, 'common:errors.notFoundText')
    return requestJson(found)
  }

  router.get(paths.api.linkRequests, allow('anonymous'), read, async (req, res) => {
    res.json({ data: (await requestsService.listForAdmin(apiCaller(req).principal)).map(requestJson) })
  })

  router.get(paths.api.linkRequest, allow('anonymous'), read, async (req, res) => {
    sendTagged(res, await one(req, idOf(req)))
  })

  router.post(paths.api.linkRequests, allow('anonymous'), write, async (req, res) => {
    const input = parseInput(NewLinkRequest, jsonBody(req), req)
    const organisationId = input.organisationId ?? apiCaller(req).client.organisationId
    await idempotent(db, req, res, async () => {
      const id = await requestsService.create(apiCaller(req).principal, apiActor(req), { organisationId, email: input.email })
      return { status: 201, body: await one(req, id), headers: { Location: `${paths.api.linkRequests}/${id}` } }
    })
  })

  router.post(paths.api.linkRequestCancel, allow('anonymous'), write, async (req, res) => {
    const id = idOf(req)
    await idempotent(db, req, res, async () => {
      await assertIfMatch(req, () => one(req, id))
      await requestsService.cancel(apiCaller(req).principal, apiActor(req), id)
      return { status: 200, body: await one(req, id) }
    })
  })

  return router
}
