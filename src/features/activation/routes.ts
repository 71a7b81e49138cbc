// /activeren/<token>: the activation link sets the first password, then sends whoever must use two
// factors on to TOTP enrolment (src/features/security, the same step as at login). An expired link
// offers "stuur een nieuwe link"; Beheer → Gebruikers resends a link.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { allow } from '../../policy/access.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { newTotpSecret } from '../../shared/totp.ts'
import { flash } from '../../web/flash.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { principal } from '../../web/principal.ts'
import type { TokenProblem } from '../../shared/workflows/actionTokens.ts'
import { passwordSchema, tokenParams } from './schemas.ts'
import { assertResendAllowed } from '../../web/resendLimit.ts'

export function activationRoutes(services: Services): Router {
  const { activationService, authService, rateLimits } = services
  const router = Router()

  const problem = (req: Request, res: Response, kind: TokenProblem, token: string) =>
    res.status(kind === 'invalid' ? 404 : 410).render('pages/activation/problem', { title: req.t(`activation:problem.${kind}.title`), problem: kind, token })

  const form = (req: Request, res: Response, status: number, token: string, email: string, extra: Record<string, unknown> = {}) =>
    res.status(status).render('pages/activation/form', { title: req.t('activation:title'), token, email, ...extra })

  router.get(paths.activation.activate, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    const link = await activationService.open(token)
    if (!link.ok) return problem(req, res, link.problem, token)
    form(req, res, 200, token, link.email)
  })

  router.post(paths.activation.activate, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    const link = await activationService.open(token)
    if (!link.ok) return problem(req, res, link.problem, token)
    if (await rateLimits.consume('reset', { address: req.ip })) {
      return form(req, res, 429, token, link.email, { errors: fromFieldMessages({ password: req.t('security:errors.tooMany') }) })
    }
    const parsed = parseForm(passwordSchema, req.body, req.t, ['password', 'passwordRepeat'])
    if (!parsed.ok) return form(req, res, 400, token, link.email, { errors: parsed.errors })
    const done = await activationService.activate(token, parsed.data.password, actorFrom(req))
    if (!done.ok) return problem(req, res, done.problem, token)
    const person = await authService.loadPrincipal(done.userId)
    if (person && authService.needsSecondFactor(person, null)) {
      // Rule 22: whoever administers (or works in the back office) enrols TOTP before the first action.
      req.session.enrolment = { userId: done.userId, email: done.email, secret: newTotpSecret(), startedAt: Date.now() }
      flash(req, 'success', req.t('activation:doneEnrol'))
      return res.redirect(303, links.enrol())
    }
    flash(req, 'success', req.t('activation:done'))
    res.redirect(303, links.login())
  })

  router.post(paths.activation.newLink, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    // The same answer whether a mail went out, and whether the limit was reached.
    if (!(await rateLimits.consume('reset', { address: req.ip }))) await activationService.newLink(token, actorFrom(req))
    res.render('pages/activation/problem', { title: req.t('activation:problem.sent.title'), problem: 'sent', token })
  })

  router.post(paths.beheer.userActivation, allow('admin'), async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    try {
      await activationService.resend(principal(req), actorFrom(req), id, undefined, () => assertResendAllowed(rateLimits, req, 'activation', id))
      flash(req, 'success', req.t('activation:resent'))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey))
    }
    res.redirect(303, links.userDetail(id))
  })

  return router
}
