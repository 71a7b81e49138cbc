import { Router } from 'express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import type { AuthService } from '../features/auth/authService.ts'

/**
 * Passport with the local strategy: e-mail, password and (for those who need it) the TOTP code
 * are checked together, so a failure never says which part was wrong.
 */
export function setUpAuthentication(authService: AuthService): Router {
  const router = Router()
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      const code = typeof req.body?.code === 'string' ? req.body.code : undefined
      authService.verifyLogin({ email, password, code }).then((principal) => done(null, principal ?? false), done)
    }),
  )
  passport.serializeUser((user, done) => done(null, user.id))
  passport.deserializeUser((id: string, done) => {
    authService.loadPrincipal(id).then((principal) => done(null, principal ?? false), done)
  })
  router.use(passport.initialize())
  router.use(passport.session())
  router.use((req, res, next) => {
    res.locals.user = req.user ?? null
    res.locals.isAdmin = (req.user?.adminOrganisations.length ?? 0) > 0
    res.locals.currentPath = req.originalUrl
    next()
  })
  return router
}
