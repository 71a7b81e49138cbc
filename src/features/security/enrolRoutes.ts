// Second factor enrolment (after the password step) and the recovery codes, shown once.
import { Router, type NextFunction, type Request, type Response } from 'express'
import QRCode from 'qrcode'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { logIn } from '../../web/login.ts'
import { principal } from '../../web/principal.ts'
import { totpUri, verifyTotpStep } from '../../shared/totp.ts'
import { codeSchema } from './schemas.ts'

const ENROLMENT_MINUTES = 10

type Deps = Pick<Services, 'authService' | 'securityService' | 'rateLimits' | 'config'>

function pendingEnrolment(req: Request) {
  const pending = req.session.enrolment
  if (!pending || Date.now() - pending.startedAt > ENROLMENT_MINUTES * 60_000) return null
  return pending
}

async function renderEnrol(brandName: string, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  const pending = pendingEnrolment(req)!
  const uri = totpUri(pending.secret, pending.email, brandName)
  const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 })
  res.status(status).render('pages/security/enrol', {
    title: req.t('security:enrol.title'),
    qr,
    secret: pending.secret.replace(/(.{4})/g, '$1 ').trim(),
    ...extra,
  })
}

async function showEnrol({ config }: Deps, req: Request, res: Response) {
  if (!pendingEnrolment(req)) return res.redirect(303, paths.login)
  await renderEnrol(config.brandName, req, res, 200)
}

async function postEnrol({ authService, securityService, rateLimits, config }: Deps, req: Request, res: Response, next: NextFunction) {
  const pending = pendingEnrolment(req)
  if (!pending) return res.redirect(303, paths.login)
  const keys = { account: pending.email, address: req.ip }
  const render = (status: number, extra: Record<string, unknown>) => renderEnrol(config.brandName, req, res, status, extra)
  const fail = (status: number, key: string) => render(status, { errors: fromFieldMessages({ code: req.t(key) }) })
  if (await rateLimits.isBlocked('secondFactor', keys)) return fail(429, 'security:errors.tooMany')
  const parsed = parseForm(codeSchema, req.body, req.t)
  if (!parsed.ok) return render(400, { errors: parsed.errors })
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
}

// Shown once: the codes leave the session as soon as the page is rendered.
async function showRecoveryCodes({ securityService }: Deps, req: Request, res: Response) {
  const codes = req.session.recoveryCodes
  delete req.session.recoveryCodes
  const remaining = codes ? codes.length : await securityService.remainingRecoveryCodes(principal(req).id)
  res.render('pages/security/recovery-codes', { title: req.t('security:recovery.title'), codes: codes ?? null, remaining })
}

export function enrolRoutes(deps: Deps): Router {
  const router = Router()
  router.get(paths.security.enrol, allow('anonymous'), (req, res) => showEnrol(deps, req, res))
  router.post(paths.security.enrol, allow('anonymous'), (req, res, next) => postEnrol(deps, req, res, next))
  router.get(paths.security.recoveryCodes, allow('user'), (req, res) => showRecoveryCodes(deps, req, res))
  return router
}
