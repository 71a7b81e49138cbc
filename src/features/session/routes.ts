// "Blijf ingelogd" in the time-out warning (views/partials/session-timeout.ejs): a POST that touches
// the session, so its idle time-out starts again. From the dialog's script it answers 204; as a plain
// form (no JavaScript) it goes back to the page it came from (same-site paths only).
import { Router } from 'express'
import { z } from 'zod'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { safeReturnPath } from '../../web/safeReturnPath.ts'

const schema = z.object({ returnTo: z.string().max(500).optional() })

export function sessionRoutes(): Router {
  const router = Router()
  router.post(paths.sessionKeepAlive, allow('user'), (req, res) => {
    req.session.touch()
    req.session.keptAliveAt = Date.now()
    const parsed = schema.safeParse(req.body)
    if (req.get('x-requested-with') === 'fetch') {
      req.session.save(() => res.status(204).end())
      return
    }
    res.redirect(303, safeReturnPath(parsed.success ? parsed.data.returnTo : undefined, paths.overview))
  })
  return router
}
