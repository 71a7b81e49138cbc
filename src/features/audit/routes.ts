// Logboek: the audit trail of the admin's own organisations (rule 14), newest first, 100 a page.
import { Router } from 'express'
import { z } from 'zod'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { formatDateTime } from '../../web/format.ts'

export const AUDIT_PAGE_SIZE = 100

const querySchema = z.object({ voor: z.string().regex(/^\d{1,19}$/).optional() })

export function auditRoutes({ db }: Services): Router {
  const router = Router()
  const base = paths.beheer.auditLog

  router.get(base, allow('admin'), async (req, res) => {
    const parsed = querySchema.safeParse(req.query)
    const before = parsed.success && parsed.data.voor ? BigInt(parsed.data.voor) : undefined
    const ids = req.user!.adminOrganisations.map((o) => o.id)
    const rows = await db.auditEvent.findMany({
      where: { organisationId: { in: ids }, ...(before ? { id: { lt: before } } : {}) },
      select: { id: true, at: true, actorLabel: true, action: true, subjectType: true, subjectId: true, organisation: { select: { name: true } } },
      orderBy: { id: 'desc' },
      take: AUDIT_PAGE_SIZE + 1,
    })
    const events = rows.slice(0, AUDIT_PAGE_SIZE)
    const next = rows.length > AUDIT_PAGE_SIZE ? events[events.length - 1]!.id.toString() : null
    res.render('pages/audit/list', {
      title: req.t('audit:title'),
      section: 'beheer',
      subsection: 'auditLog',
      breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.mandates }, { label: req.t('common:nav.auditLog') }],
      events: events.map((e) => ({ ...e, id: e.id.toString(), at: formatDateTime(e.at, req.locale) })),
      nextHref: next ? `${base}?voor=${next}` : null,
      firstHref: before ? base : null,
    })
  })

  return router
}
