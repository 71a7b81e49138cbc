// Second factor enrolment (after the password step), recovery codes shown once, password reset.
import { Router, type Request, type Response } from 'express'
import QRCode from 'qrcode'
import { allow } from '../../policy/access.ts'
import { parseParams } from '../../policy/params.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { flash } from '../../web/flash.ts'
import { actorFrom } from '../../shared/actor.ts'
import { logIn } from '../../web/login.ts'
import { principal } from '../../web/principal.ts'
import { totpUri, verifyTotpStep } from '../../shared/totp.ts'
import { codeSchema, forgotSchema, resetParams, resetSchema } from './schemas.ts'

const ENROLMENT_MINUTES = 10

export function securityRoutes(services: Services): Router {
  const { authService, securityService, rateLimits, config } = services
  const router = Router()

  function pendingEnrolment(req: Request) {
    const pending = req.session.enrolment
    if (!pending || Date.now() - pending.startedAt > ENROLMENT_MINUTES * 60_000) return null
    return pending
  }

  async function renderEnrol(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const pending = pendingEnrolment(req)!
    const uri = totpUri(pending.secret, pending.email, config.brandName)
    const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 })
    res.status(status).render('pages/security/enrol', {
      title: req.t('security:enrol.title'),
      qr,
      secret: pending.secret.replace(/(.{4})/g, '$1 ').trim(),
      ...extra,
    })
  }

  router.get(paths.security.enrol, allow('anonymous'), async (req, res) => {
    if (!pendingEnrolment(req)) return res.redirect(303, paths.login)
    await renderEnrol(req, res, 200)
  })

  router.post(paths.security.enrol, allow('anonymous'), async (req, res, next) => {
    const pending = pendingEnrolment(req)
    if (!pending) return res.redirect(303, paths.login)
    const keys = { account: pending.email, address: req.ip }
    const fail = (status: number, key: string) => renderEnrol(req, res, status, { errors: fromFieldMessages({ code: req.t(key) }) })
    if (await rateLimits.isBlocked('secondFactor', keys)) return fail(429, 'security:errors.tooMany')
    const parsed = parseForm(codeSchema, req.body, req.t)
    if (!parsed.ok) return renderEnrol(req, res, 400, { errors: parsed.errors })
    const step = verifyTotpStep(pending.secret, parsed.data.code)
    if (step === null) {
      await rateLimits.consume('secondFactor', keys)
      return fail(422, 'security:errors.codeWrong')
    }
    const actor = { ...actorFrom(req), label: pending.email }
    const codes = await securityService.completeEnrolment(pending.userId, pending.secret, actor, step)
    const principal = codes ? await authService.loadPrincipal(pending.userId) : null
    if (!codes || !principal) {
      delete req.session.enrolment
      return res.redirect(303, paths.login)
    }
    await rateLimits.reset('secondFactor', keys)
    logIn(req, principal, next, () => {
      req.session.recoveryCodes = codes
      securityService
        .recordLoginEvent({ ...actor, principal, label: principal.email }, 'login', { method: 'totp_enrolment' })
        .then(() => res.redirect(303, paths.security.recoveryCodes), next)
    })
  })

  // Shown once: the codes leave the session as soon as the page is rendered.
  router.get(paths.security.recoveryCodes, allow('user'), async (req, res) => {
    const codes = req.session.recoveryCodes
    delete req.session.recoveryCodes
    const remaining = codes ? codes.length : await securityService.remainingRecoveryCodes(principal(req).id)
    res.render('pages/security/recovery-codes', { title: req.t('security:recovery.title'), codes: codes ?? null, remaining })
  })

  router.get(paths.security.forgotPassword, allow('anonymous'), (req, res) => {
    res.render('pages/security/forgot-password', { title: req.t('security:forgot.title') })
  })

  router.post(paths.security.forgotPassword, allow('anonymous'), async (req, res) => {
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
  })

  router.get(paths.security.resetPasswordToken, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(resetParams, req.params)
    const valid = await securityService.resetTokenValid(token)
    res.render('pages/security/reset-password', { title: req.t('security:reset.title'), valid, token })
  })

  router.post(paths.security.resetPasswordToken, allow('anonymous'), async (req, res) => {
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
  })

  return router
}
