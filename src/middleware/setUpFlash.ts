import { Router, type Request } from 'express'

/** Confirmation messages that survive one redirect (Post/Redirect/Get). */
export function flash(req: Request, type: 'success' | 'info' | 'warning' | 'error', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }]
}

export function setUpFlash(): Router {
  const router = Router()
  router.use((req, res, next) => {
    if (req.session?.flash?.length) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    next()
  })
  return router
}
