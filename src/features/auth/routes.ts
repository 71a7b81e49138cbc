import { Router, type Request, type Response, type NextFunction } from 'express'
import passport from 'passport'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { fromFieldMessages, parseForm } from '../../web/forms.ts'
import { safeReturnPath } from '../../web/safeReturnPath.ts'
import { loginFieldOrder, loginSchema } from './loginSchema.ts'
import type { Principal } from './principal.ts'

function renderLogin(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  res.status(status).render('pages/auth/login', {
    title: req.t('auth:login.title'),
    expired: req.query.verlopen === '1',
    ...extra,
  })
}

export function authRoutes(): Router {
  const router = Router()

  router.get(paths.home, allow('anonymous'), (req, res) => {
    res.redirect(303, req.user ? paths.overview : paths.login)
  })

  router.get(paths.login, allow('anonymous'), (req, res) => {
    if (req.user) return res.redirect(303, paths.overview)
    renderLogin(req, res, 200)
  })

  router.post(paths.login, allow('anonymous'), (req: Request, res: Response, next: NextFunction) => {
    const parsed = parseForm(loginSchema, req.body, req.t, loginFieldOrder)
    if (!parsed.ok) return renderLogin(req, res, 400, { errors: parsed.errors, values: { email: parsed.values.email } })
    passport.authenticate('local', (error: unknown, principal: Principal | false) => {
      if (error) return next(error)
      if (!principal) {
        const errors = fromFieldMessages({ email: req.t('auth:login.errors.failed') }, loginFieldOrder)
        return renderLogin(req, res, 401, { errors, values: { email: parsed.data.email } })
      }
      const returnTo = safeReturnPath(req.session.returnTo, paths.overview)
      // req.login regenerates the session id (no fixation); keep nothing of the anonymous session.
      req.login(principal, (loginError) => {
        if (loginError) return next(loginError)
        req.session.createdAt = Date.now()
        res.redirect(303, returnTo)
      })
    })(req, res, next)
  })

  router.post(paths.logout, allow('user'), (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error)
      req.session.destroy(() => {
        res.clearCookie('bm.sid')
        res.redirect(303, `${paths.login}?uitgelogd=1`)
      })
    })
  })

  return router
}
