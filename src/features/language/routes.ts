import { Router } from 'express'
import { z } from 'zod'
import { LOCALES } from '../../i18n/index.ts'
import { LOCALE_COOKIE } from '../../web/cookies.ts'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { safeReturnPath } from '../../web/safeReturnPath.ts'

const schema = z.object({ lang: z.enum(LOCALES), returnTo: z.string().max(500).optional() })

/** The language switch on every page: a small form, so it works without JavaScript. */
export function languageRoutes(options: { secureCookies: boolean }): Router {
  const router = Router()
  router.post(paths.language, allow('anonymous'), (req, res) => {
    const parsed = schema.safeParse(req.body)
    if (parsed.success) {
      res.cookie(LOCALE_COOKIE, parsed.data.lang, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: 365 * 24 * 3600 * 1000,
      })
    }
    res.redirect(303, safeReturnPath(parsed.success ? parsed.data.returnTo : undefined, paths.home))
  })
  return router
}
