import { Router } from 'express'

export { flash } from '../web/flash.ts'

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
