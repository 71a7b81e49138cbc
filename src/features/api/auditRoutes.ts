// /api/v1/audit-events: the Logboek of the client's organisation through AuditLogService, newest
// first with a keyset cursor, or every matching entry as NDJSON (`Accept: application/x-ndjson`),
// streamed in batches as the CSV export is.
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { addDays, parseIsoDate } from '../../domain/dates.ts'
import { apiCaller, requireScope } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { parseInput } from './parse.ts'
import { AuditListQuery } from './schemas.ts'
import { isAuditAction } from '../../domain/auditActions.ts'

type AuditRow = Awaited<ReturnType<Services['auditLogService']['page']>>['rows'][number]
type AuditFilter = Parameters<Services['auditLogService']['page']>[1]

export const NDJSON = 'application/x-ndjson'

function eventJson(row: AuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actorLabel,
    action: row.action,
    organisationName: row.organisationName,
    kvkNumber: row.kvkNumber,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    before: row.before ?? null,
    after: row.after ?? null,
    ipAddress: row.ipAddress,
    requestId: row.requestId,
  }
}

function filterOf(req: Request): { filter: AuditFilter; cursor: bigint | undefined } {
  const q = parseInput(AuditListQuery, req.query, req)
  const from = q.from ? parseIsoDate(q.from) : undefined
  const until = q.until ? parseIsoDate(q.until) : undefined
  if (from === null) throw new Problem(400, 'audit:errors.from')
  if (until === null) throw new Problem(400, 'audit:errors.until')
  if (from && until && from > until) throw new Problem(400, 'audit:errors.period')
  if (q.action !== undefined && !isAuditAction(q.action)) throw new Problem(400, 'audit:errors.action')
  return {
    filter: { organisationId: q.organisationId, user: q.user, action: q.action, from, until: until ? addDays(until, 1) : undefined },
    cursor: q.cursor ? BigInt(q.cursor) : undefined,
  }
}

export function auditApiRoutes({ auditLogService }: Services): Router {
  const router = Router()
  router.get(paths.api.auditEvents, allow('anonymous'), requireScope('audit:read'), async (req, res) => {
    const { filter, cursor } = filterOf(req)
    const principal = apiCaller(req).principal
    if (req.accepts(['application/json', NDJSON]) !== NDJSON) {
      const page = await auditLogService.page(principal, filter, cursor)
      return res.json({ data: page.rows.map(eventJson), next: page.next })
    }
    res.status(200).type(NDJSON).set('Cache-Control', 'no-store')
    for await (const rows of auditLogService.all(principal, filter, 1000, cursor)) {
      const text = rows.map((r) => `${JSON.stringify(eventJson(r))}\n`).join('')
      if (text && !res.write(text)) await new Promise((resolve) => res.once('drain', resolve))
    }
    res.end()
  })
  return router
}
