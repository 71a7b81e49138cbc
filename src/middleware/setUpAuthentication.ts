import { Router } from 'express'
import { Passport } from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import type { AuthService } from '../features/auth/authService.ts'
import { privilegeFingerprint } from '../web/login.ts'
import { formText } from '../web/forms.ts'

/**
 * Passport with the local strategy: e-mail, password and (for those who need it) the TOTP code
 * are checked together, so a failure never says which part was wrong. The strategy hands the
 * whole LoginResult to the route as `info` (src/features/auth/routes.ts decides what follows).
 */
export function setUpAuthentication(authService: AuthService): Router {
  const router = Router()
  // One Passport per app (not the module's singleton), so two apps in one process (tests) keep apart.
  const passport = new Passport()
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      const code = formText(req.body, 'code') || undefined
      authService.verifyLogin({ email, password, code }).then((result) => done(null, result.outcome === 'ok' ? result.principal : false, result as never), done)
    }),
  )
  passport.serializeUser((user, done) => done(null, user.id))
  passport.deserializeUser((id: string, done) => {
    authService.loadPrincipal(id).then((principal) => done(null, principal ?? false), done)
  })
  router.use((req, _res, next) => {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- @types/passport types authenticate()'s result as any; it is an Express handler (src/types.d.ts)
    req.passport = passport
    next()
  })
  router.use(passport.initialize())
  router.use(passport.session())
  // Privilege change (became or stopped being an admin, other organisations): new session id.
  router.use((req, _res, next) => {
    if (!req.user) return next()
    const fingerprint = privilegeFingerprint(req.user)
    const known = req.session.privileges
    if (known === undefined || known === fingerprint) {
      req.session.privileges = fingerprint
      return next()
    }
    const createdAt = req.session.createdAt
    req.login(req.user, (error) => {
      if (error) return next(error)
      req.session.createdAt = createdAt
      req.session.privileges = fingerprint
      next()
    })
  })
  router.use((req, res, next) => {
    res.locals.user = req.user ?? null
    res.locals.isAdmin = (req.user?.adminOrganisations.length ?? 0) > 0
    res.locals.currentPath = req.originalUrl
    next()
  })
  return router
}
