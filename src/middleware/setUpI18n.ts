import { Router } from 'express'
import { DEFAULT_LOCALE, isLocale, translator } from '../i18n/index.ts'

import { LOCALE_COOKIE } from '../web/cookies.ts'

export { LOCALE_COOKIE }

/** The language comes from the `bm.lang` cookie (set by the switch on every page); Dutch by default. */
export function setUpI18n(): Router {
  const router = Router()
  router.use((req, res, next) => {
    const fromCookie = parseCookie(req.headers.cookie, LOCALE_COOKIE)
    req.locale = isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE
    req.t = translator(req.locale)
    res.locals.t = req.t
    res.locals.locale = req.locale
    next()
  })
  return router
}

export function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}
