import path from 'node:path'
import { createRequire } from 'node:module'
import express, { Router } from 'express'
import { projectRoot } from '../db/migrations.ts'

const require = createRequire(import.meta.url)

/** Static files (cached), then a no-cache rule for every dynamic page: they hold personal data. */
export function setUpStaticResources(): Router {
  const router = Router()
  const options = { maxAge: '1h', index: false, fallthrough: true }
  const utrechtCss = path.dirname(require.resolve('@utrecht/component-library-css/package.json'))
  const utrechtTokens = path.dirname(require.resolve('@utrecht/design-tokens/package.json'))
  router.use('/assets/utrecht/components', express.static(path.join(utrechtCss, 'dist'), options))
  router.use('/assets/utrecht/tokens', express.static(path.join(utrechtTokens, 'dist'), options))
  router.use('/assets', express.static(path.join(projectRoot, 'public'), options))
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('Pragma', 'no-cache')
    next()
  })
  return router
}
