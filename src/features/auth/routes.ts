import { Router, type Request, type Response, type NextFunction } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { logIn } from '../../web/login.ts'
import { SESSION_COOKIE } from '../../web/cookies.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { safeReturnPath } from '../../web/safeReturnPath.ts'
import { actorFrom } from '../../shared/actor.ts'
import { newTotpSecret } from '../../shared/totp.ts'
import type { LoginResult } from './authService.ts'
import { loginFieldOrder, loginSchema } from './loginSchema.ts'
import type { Principal } from '../../shared/principal.ts'

function renderLogin(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  res.status(status).render('pages/auth/login', {
    title: req.t('auth:login.title'),
    expired: req.query.verlopen === '1',
    loggedOut: req.query.uitgelogd === '1',
    ...extra,
  })
}

export function authRoutes({ rateLimits, securityService }: Services): Router {
  const router = Router()

  router.get(paths.home, allow('anonymous'), (req, res) => {
    res.redirect(303, req.user ? paths.overview : paths.login)
  })

  router.get(paths.login, allow('anonymous'), (req, res) => {
    if (req.user) return res.redirect(303, paths.overview)
    renderLogin(req, res, 200)
  })

  router.post(paths.login, allow('anonymous'), async (req: Request, res: Response, next: NextFunction) => {
    const parsed = parseForm(loginSchema, req.body, req.t, loginFieldOrder)
    if (!parsed.ok) return renderLogin(req, res, 400, { errors: parsed.errors, values: { email: parsed.values.email } })
    const email = parsed.data.email
    const keys = { account: email, address: req.ip }
    const actor = actorFrom(req)
    if (await rateLimits.isBlocked('login', keys)) {
      await securityService.recordLoginEvent(actor, 'login_failed', { email, method: 'rate_limited' })
      const errors = fromFieldMessages({ email: req.t('auth:login.errors.tooMany') }, loginFieldOrder)
      return renderLogin(req, res, 429, { errors, values: { email } })
    }
    req.passport.authenticate('local', async (error: unknown, principal: Principal | false, result: LoginResult | undefined) => {
      try {
        if (error) return next(error)
        if (result?.outcome === 'enrol') {
          await rateLimits.reset('login', keys)
          // A right password, but no second factor yet: enrol before anything else.
          return req.session.regenerate((regenerateError) => {
            if (regenerateError) return next(regenerateError)
            req.session.enrolment = { userId: result.userId, email: result.email, secret: newTotpSecret(), startedAt: Date.now() }
            res.redirect(303, paths.security.enrol)
          })
        }
        if (!principal || result?.outcome !== 'ok') {
          await rateLimits.consume('login', keys)
          await securityService.recordLoginEvent(actor, 'login_failed', { email, userId: result?.outcome === 'failed' ? result.userId : null })
          const errors = fromFieldMessages({ email: req.t('auth:login.errors.failed') }, loginFieldOrder)
          return renderLogin(req, res, 401, { errors, values: { email } })
        }
        await rateLimits.reset('login', keys)
        const returnTo = safeReturnPath(req.session.returnTo, paths.overview)
        logIn(req, principal, next, () => {
          securityService
            .recordLoginEvent({ ...actor, principal, label: principal.email }, 'login', { method: result.method })
            .then(() => res.redirect(303, returnTo), next)
        })
      } catch (failure) {
        next(failure)
      }
    })(req, res, next)
  })

  router.post(paths.logout, allow('user'), async (req, res, next) => {
    await securityService.recordLoginEvent(actorFrom(req), 'logout')
    req.logout((error) => {
      if (error) return next(error)
      req.session.destroy(() => {
        res.clearCookie(SESSION_COOKIE)
        res.redirect(303, links.login({ uitgelogd: 1 }))
      })
    })
  })

  return router
}
