import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal as principalOf } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { LEVELS } from './overviewService.ts'
import { overviewQuery } from './schemas.ts'

export function overviewRoutes({ overviewService }: Services): Router {
  const router = Router()
  router.get(paths.overview, allow('user'), async (req, res) => {
    const principal = principalOf(req)
    const query = overviewQuery.parse(req.query)
    const [admin, own] = await Promise.all([overviewService.forAdmin(principal, { q: query.q, page: query.pagina }), overviewService.forUser(principal)])
    const pageLink = (page: number) => links.overview({ ...(query.q ? { q: query.q } : {}), ...(page > 1 ? { pagina: String(page) } : {}) })
    res.render('pages/overview/index', {
      title: req.t('overview:title'),
      section: 'overview',
      organisations: admin.organisations,
      organisationCount: admin.total,
      search: { q: query.q ?? '', matching: admin.matching, shown: admin.searchable },
      pagination: {
        previousHref: admin.page > 1 ? pageLink(admin.page - 1) : undefined,
        nextHref: admin.page < admin.pages ? pageLink(admin.page + 1) : undefined,
        summary: admin.pages > 1 ? req.t('overview:pageSummary', { page: admin.page, pages: admin.pages }) : undefined,
      },
      levels: LEVELS,
      means: own.means,
      mandates: own.mandates,
      mandatesMore: own.mandatesMore,
    })
  })
  return router
}
