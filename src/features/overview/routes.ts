import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { principal as principalOf } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { LEVELS } from './overviewService.ts'

export function overviewRoutes({ overviewService }: Services): Router {
  const router = Router()
  router.get(paths.overview, allow('user'), async (req, res) => {
    const principal = principalOf(req)
    const [organisations, own] = await Promise.all([overviewService.forAdmin(principal), overviewService.forUser(principal)])
    res.render('pages/overview/index', {
      title: req.t('overview:title'),
      section: 'overview',
      organisations,
      levels: LEVELS,
      means: own.means,
      mandates: own.mandates,
    })
  })
  return router
}
