// Mijn gegevens → Wachtwoord en tweede factor (issue 12, item 3).
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { RuleViolation } from '../../errors.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { newTotpSecret } from '../../shared/totp.ts'
import { flash } from '../../web/flash.ts'
import { fromFieldMessages, parseForm, ruleErrors } from '../../web/forms.ts'
import { principal } from '../../web/principal.ts'
import { passwordSchema } from './schemas.ts'

const changeSchema = z
  .object({ currentPassword: z.string('activation:account.errors.current').min(1, 'activation:account.errors.current').max(200) })
  .and(passwordSchema)
const secondFactorSchema = z.object({
  currentPassword: z.string('activation:account.errors.current').min(1, 'activation:account.errors.current').max(200),
  code: z.string().max(20).optional().default(''),
})

export function accountRoutes({ accountService, authService, rateLimits }: Services): Router {
  const router = Router()

  async function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    res.status(status).render('pages/activation/account', {
      title: req.t('activation:account.title'),
      section: 'mine',
      hasSecondFactor: await accountService.hasSecondFactor(principal(req).id),
      ...extra,
    })
  }

  router.get(paths.mineSecurity, allow('user'), (req, res) => render(req, res, 200))

  router.post(paths.minePassword, allow('user'), async (req, res) => {
    const me = principal(req)
    const keys = { account: me.email, address: req.ip }
    if (await rateLimits.isBlocked('login', keys))
      return render(req, res, 429, { errors: fromFieldMessages({ currentPassword: req.t('security:errors.tooMany') }) })
    const parsed = parseForm(changeSchema, req.body, req.t, ['currentPassword', 'password', 'passwordRepeat'])
    if (!parsed.ok) return render(req, res, 400, { errors: parsed.errors })
    try {
      await accountService.changePassword(me.id, parsed.data.currentPassword, parsed.data.password, actorFrom(req), req.sessionID)
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      await rateLimits.consume('login', keys)
      return render(req, res, 422, { errors: ruleErrors(error, req.t) })
    }
    flash(req, 'success', req.t('activation:account.passwordDone'))
    res.redirect(303, links.mineSecurity())
  })

  router.post(paths.mineSecondFactor, allow('user'), async (req, res) => {
    const me = principal(req)
    const keys = { account: me.email, address: req.ip }
    const fail = (status: number, field: string, key: string) => render(req, res, status, { errors: fromFieldMessages({ [field]: req.t(key) }) })
    if (await rateLimits.isBlocked('login', keys)) return fail(429, 'currentPassword', 'security:errors.tooMany')
    const parsed = parseForm(secondFactorSchema, req.body, req.t)
    if (!parsed.ok) return render(req, res, 400, { errors: parsed.errors })
    // The same check as a login: the password, and the current code when a second factor is set up.
    const check = await authService.verifyLogin({ email: me.email, password: parsed.data.currentPassword, code: parsed.data.code })
    if (check.outcome === 'failed') {
      await rateLimits.consume('login', keys)
      return fail(422, 'currentPassword', 'activation:account.errors.check')
    }
    await accountService.clearSecondFactor(me.id, actorFrom(req))
    req.session.enrolment = { userId: me.id, email: me.email, secret: newTotpSecret(), startedAt: Date.now() }
    res.redirect(303, links.enrol())
  })

  return router
}
