// Beheer → Ketenmachtigingen → Klanten (the intermediary's admin): the clients, and per client
// "Medewerkers machtigen" (assign an employee) and revoking an assignment.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { ADMIN_LEVELS } from '../../domain/levels.ts'
import { chainLevelAllowed } from '../../domain/rules.ts'
import { links, paths } from '../../paths.ts'
import { allow } from '../../policy/access.ts'
import { actorFrom } from '../../shared/actor.ts'
import { flash } from '../../web/flash.ts'
import { keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import { principal } from '../../web/principal.ts'
import { CLIENTS_PAGE_SIZE, type AssignmentService } from './assignmentService.ts'
import { chainsPage, routeId } from './routeHelpers.ts'
import { assignSchema, pageQuerySchema } from './schemas.ts'

const FIELDS = ['userId', 'scopeKey', 'level']

export function clientRoutes(deps: { assignmentService: AssignmentService }): Router {
  const router = Router()
  const service = deps.assignmentService

  router.get(paths.chains.clients, allow('admin'), async (req, res) => {
    const q = pageQuerySchema.safeParse(req.query)
    const page = q.success ? (q.data.pagina ?? 1) : 1
    const { rows, total } = await service.clients(principal(req), page)
    res.render('pages/chains/clients', {
      ...chainsPage(req, req.t('chains:clients.title'), [{ label: req.t('chains:clients.title') }]),
      rows,
      page,
      pages: Math.max(1, Math.ceil(total / CLIENTS_PAGE_SIZE)),
      total,
    })
  })

  async function renderClient(req: Request, res: Response, id: string, status: number, extra: Record<string, unknown> = {}) {
    const detail = await service.chainDetail(principal(req), id)
    res.status(status).render('pages/chains/client', {
      ...chainsPage(req, req.t('chains:assign.title', { name: detail.chain.organisation.name }), [
        { label: req.t('chains:clients.title'), href: links.chainClients() },
        { label: detail.chain.organisation.name },
      ]),
      ...detail,
      levels: ADMIN_LEVELS.filter(chainLevelAllowed),
      values: { level: 'EH3' },
      ...extra,
    })
  }

  router.get(paths.chains.client, allow('admin'), (req, res) => renderClient(req, res, routeId(req), 200))

  router.post(paths.chains.client, allow('admin'), async (req, res) => {
    const id = routeId(req)
    const parsed = parseForm(assignSchema, req.body, req.t, FIELDS)
    if (!parsed.ok) return renderClient(req, res, id, 400, { errors: parsed.errors, values: parsed.values })
    try {
      const result = await service.assign(actorFrom(req), id, parsed.data)
      flash(req, 'success', req.t('chains:assign.done', { name: result.holderName, client: result.clientName }))
      res.redirect(303, links.chainClient(id))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      return renderClient(req, res, id, 422, { errors: ruleErrors(error, req.t, FIELDS), values: keepValues(req.body) })
    }
  })

  router.post(paths.chains.assignmentRevoke, allow('admin'), async (req, res) => {
    const id = routeId(req)
    try {
      const result = await service.revokeAssignment(actorFrom(req), id)
      flash(req, 'success', req.t('chains:assign.revoked', { name: result.holderName }))
      res.redirect(303, links.chainClient(result.chainId))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey, error.params))
      res.redirect(303, links.chainClients())
    }
  })

  return router
}
