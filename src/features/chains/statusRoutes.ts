// Beheer → Ketenmachtigingen, one given ketenmachtiging: intrekken, schorsen and schorsing opheffen,
// each through a confirmation page that says how many assignments below it end or stop, bound to
// what it showed (a changed chain or set of assignments: 409 with the page as it is now).
import { Router, type Request, type Response } from 'express'
import { ConflictError, RuleViolation } from '../../errors.ts'
import { links, paths } from '../../paths.ts'
import { allow } from '../../policy/access.ts'
import { actorFrom } from '../../shared/actor.ts'
import { digestFrom } from '../../shared/confirmation.ts'
import { flash } from '../../web/flash.ts'
import { ruleErrors } from '../../web/forms.ts'
import { principal } from '../../web/principal.ts'
import type { ChainStatusService, StatusAction } from './chainStatusService.ts'
import { chainsPage, routeId } from './routeHelpers.ts'

const ACTION_LINKS: Record<StatusAction, (id: string) => string> = { revoke: links.chainRevoke, suspend: links.chainSuspend, lift: links.chainLift }
const DONE_KEYS: Record<StatusAction, string> = { revoke: 'chains:revoke.done', suspend: 'chains:suspend.done', lift: 'chains:lift.done' }

export function statusRoutes(deps: { chainStatusService: ChainStatusService }): Router {
  const router = Router()
  const service = deps.chainStatusService

  async function renderConfirm(req: Request, res: Response, action: StatusAction, status = 200, extra: Record<string, unknown> = {}) {
    const id = routeId(req)
    const confirmation = await service.confirmation(principal(req), id, action)
    const title = req.t(`chains:${action}.title`)
    res.status(status).render('pages/chains/status', {
      ...chainsPage(req, title, [{ label: title }]),
      action,
      formAction: ACTION_LINKS[action](id),
      ...confirmation,
      refusal: confirmation.refusal ? req.t(confirmation.refusal) : null,
      ...extra,
    })
  }

  async function act(req: Request, res: Response, action: StatusAction) {
    const id = routeId(req)
    const digest = digestFrom((req.body as Record<string, unknown> | undefined)?.digest)
    try {
      const actor = actorFrom(req)
      const result =
        action === 'revoke'
          ? { count: (await service.revoke(actor, id, digest)).ended }
          : action === 'suspend'
            ? await service.suspend(actor, id, digest)
            : await service.lift(actor, id, digest)
      flash(req, 'success', req.t(DONE_KEYS[action], { count: result.count }))
      res.redirect(303, links.chains())
    } catch (error) {
      if (error instanceof ConflictError) return renderConfirm(req, res, action, 409, { changed: true })
      if (!(error instanceof RuleViolation)) throw error
      return renderConfirm(req, res, action, 422, { errors: ruleErrors(error, req.t) })
    }
  }

  for (const action of ['revoke', 'suspend', 'lift'] as const) {
    router.get(paths.chains[action], allow('admin'), (req, res) => renderConfirm(req, res, action))
    router.post(paths.chains[action], allow('admin'), (req, res) => act(req, res, action))
  }
  return router
}
