// Machtigingen → one mandate's history: every event (granted, renewed, activated, suspended, lifted,
// revoked, expired) with when, what, who and why in words (shared/eventText.ts), oldest first.
// Linked from the list row; a mandate outside the admin's organisations is 404 (rule 7).
import { Router, type Request, type Response } from 'express'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { personName } from '../../domain/names.ts'
import { storedSubjectTypes } from '../../domain/auditActions.ts'
import { describeEvent } from '../../shared/eventText.ts'
import { formatDate } from '../../web/format.ts'
import { principal } from '../../web/principal.ts'
import type { MandateListService } from './listService.ts'
import { beheer, idParam } from './routeHelpers.ts'
import { withFields } from '../../shared/withFields.ts'

/** The audit entries about one mandate, with the actor's name; both spellings of the subject type count. */
export async function mandateEvents(db: PrismaClient, id: string) {
  const rows = await db.auditEvent.findMany({
    where: { subjectType: { in: storedSubjectTypes('mandate') }, subjectId: id },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    include: { actor: { select: { firstName: true, lastNamePrefix: true, lastName: true } } },
  })
  return rows.map((r) => withFields(r, { actorName: r.actor ? personName(r.actor) : null }))
}

async function show(deps: Deps, req: Request, res: Response) {
  const mandate = await deps.mandateListService.getForAdmin(principal(req), idParam(req))
  const events = (await mandateEvents(deps.db, mandate.id)).map((e) => describeEvent(e, req.t, (d) => formatDate(d, req.locale)))
  const title = req.t('mandates:history.title')
  res.render('pages/mandates/history', { ...beheer(req, title, [{ label: title }]), mandate, events })
}

type Deps = { mandateListService: MandateListService; db: PrismaClient }

export function historyRoutes(deps: Deps): Router {
  const router = Router()
  router.get(paths.mandates.history, allow('admin'), (req, res) => show(deps, req, res))
  return router
}
