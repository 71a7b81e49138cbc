import express, { Router } from 'express'

/** Form posts only (the portal has no JSON API); small limits so nothing oversized gets through. */
export function setUpRequestParsing(): Router {
  const router = Router()
  router.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }))
  return router
}
