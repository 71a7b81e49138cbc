// "Wachtwoord vergeten": the request for a reset link, and the page behind the link.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { parseParams } from '../../policy/params.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { flash } from '../../web/flash.ts'
import { actorFrom } from '../../shared/actor.ts'
import { forgotSchema, resetParams, resetSchema } from './schemas.ts'

type Deps = Pick<Services, 'securityService' | 'rateLimits'>

function showForgot(req: Request, res: Response) {
  res.render('pages/security/forgot-password', { title: req.t('security:forgot.title') })
}

async function postForgot({ securityService, rateLimits }: Deps, req: Request, res: Response) {
  const parsed = parseForm(forgotSchema, req.body, req.t)
  if (!parsed.ok) {
    return res.status(400).render('pages/security/forgot-password', { title: req.t('security:forgot.title'), errors: parsed.errors, values: parsed.values })
  }
  const keys = { account: parsed.data.email, address: req.ip }
  const overLimit = await rateLimits.consume('reset', keys)
  // The same answer whether the address exists, and whether the limit was reached.
  if (!overLimit) await securityService.requestPasswordReset(parsed.data.email, actorFrom(req))
  flash(req, 'success', req.t('security:forgot.sent'))
  res.redirect(303, paths.login)
}

async function showReset({ securityService }: Deps, req: Request, res: Response) {
  const { token } = parseParams(resetParams, req.params)
  const valid = await securityService.resetTokenValid(token)
  res.render('pages/security/reset-password', { title: req.t('security:reset.title'), valid, token })
}

async function postReset({ securityService, rateLimits }: Deps, req: Request, res: Response) {
  const { token } = parseParams(resetParams, req.params)
  const render = (status: number, extra: Record<string, unknown>) =>
    res.status(status).render('pages/security/reset-password', { title: req.t('security:reset.title'), valid: true, token, ...extra })
  if (await rateLimits.consume('reset', { address: req.ip })) {
    return render(429, { errors: fromFieldMessages({ password: req.t('security:errors.tooMany') }) })
  }
  const parsed = parseForm(resetSchema, req.body, req.t, ['password', 'passwordRepeat'])
  if (!parsed.ok) return render(400, { errors: parsed.errors })
  const done = await securityService.completePasswordReset(token, parsed.data.password, actorFrom(req))
  if (!done) return res.status(410).render('pages/security/reset-password', { title: req.t('security:reset.title'), valid: false, token })
  flash(req, 'success', req.t('security:reset.done'))
  res.redirect(303, paths.login)
}

export function passwordRoutes(deps: Deps): Router {
  const router = Router()
  router.get(paths.security.forgotPassword, allow('anonymous'), showForgot)
  router.post(paths.security.forgotPassword, allow('anonymous'), (req, res) => postForgot(deps, req, res))
  router.get(paths.security.resetPasswordToken, allow('anonymous'), (req, res) => showReset(deps, req, res))
  router.post(paths.security.resetPasswordToken, allow('anonymous'), (req, res) => postReset(deps, req, res))
  return router
}
