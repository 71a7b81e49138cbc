// Beheer → Verzoeken: the admin's link requests, a new one, sending an open one's mail again
// ("Opnieuw versturen", limited per request per hour), and cancelling an open one.
import { Router } from 'express'
import { z } from 'zod'
import { flashOutcome } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { organisationForm } from '../../web/organisationForm.ts'
import { actorFrom } from '../../shared/actor.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs } from '../../web/breadcrumbs.ts'
import { createdAtCursorQuery } from '../../shared/createdAtCursor.ts'
import { assertResendAllowed } from '../../web/resendLimit.ts'

const newRequestSchema = z.object({
  organisationId: z.uuid('requests:errors.organisation'),
  email: z.string().trim().min(1, 'requests:errors.emailRequired').max(254, 'requests:errors.email'),
})

export function requestRoutes({ requestsService, rateLimits }: Services): Router {
  const router = Router()

  router.get(paths.beheer.requests, allow('admin'), async (req, res) => {
    const after = createdAtCursorQuery.parse(req.query).na
    const { rows: requests, next } = await requestsService.pageForAdmin(principal(req), after)
    res.render('pages/requests/list', {
      title: req.t('requests:list.title'),
      section: 'beheer',
      subsection: 'requests',
      breadcrumbs: beheerCrumbs(req, 'requests'),
      requests,
      pagination: { firstHref: after ? links.requests() : undefined, nextHref: next ? links.requests({ na: next }) : undefined },
    })
  })

  const newRequest = organisationForm({
    tab: 'requests',
    view: 'pages/requests/new',
    titleKey: 'requests:new.title',
    schema: newRequestSchema,
    order: ['organisationId', 'email'],
    submit: async (req, data) => {
      // The same answer whether or not the address has an account (docs/SECURITY.md, "No oracles").
      await requestsService.create(principal(req), actorFrom(req), data)
      return req.t('requests:new.done', { email: data.email })
    },
    doneHref: () => links.requests(),
  })
  router.get(paths.beheer.requestsNew, allow('admin'), newRequest.show)
  router.post(paths.beheer.requestsNew, allow('admin'), newRequest.post)

  router.post(paths.beheer.requestResend, allow('admin'), async (req, res) => {
    await flashOutcome(req, async () => {
      const id = parseParams(idParam, req.params).id
      await requestsService.resend(principal(req), actorFrom(req), id, () => assertResendAllowed(rateLimits, req, 'link-request', id))
      return req.t('requests:list.resent')
    })
    res.redirect(303, links.requests())
  })

  router.post(paths.beheer.requestCancel, allow('admin'), async (req, res) => {
    await flashOutcome(req, async () => {
      await requestsService.cancel(principal(req), actorFrom(req), parseParams(idParam, req.params).id)
      return req.t('requests:list.cancelled')
    })
    res.redirect(303, links.requests())
  })

  return router
}
