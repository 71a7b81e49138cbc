import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { flash, rowAction } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { formText, fromFieldMessages, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { personName } from '../../domain/names.ts'
import { meansCancelRoutes } from './meansCancelRoutes.ts'
import { selfQuery } from './schemas.ts'
import { parseMailLocale, setMailLocale } from '../../shared/mailLocale.ts'

/** The id of Mijn machtigingen's heading: the pages of that list link to it. */
const MANDATES_ANCHOR = 'mijn-machtigingen'

export function selfRoutes(services: Services): Router {
  const { selfService, requestsService } = services
  const router = Router()
  router.use(meansCancelRoutes(services))

  async function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const page = selfQuery.parse(req.query).pagina ?? 1
    const [profile, requests] = await Promise.all([selfService.profile(principal(req), page), requestsService.pendingForUser(principal(req))])
    const pageLink = (n: number) => `${links.mine(n > 1 ? { pagina: String(n) } : {})}#${MANDATES_ANCHOR}`
    res.status(status).render('pages/self/index', {
      title: req.t('self:title'),
      section: 'mine',
      person: profile.user,
      means: profile.means,
      mandates: profile.mandates,
      mandatesAnchor: MANDATES_ANCHOR,
      pagination: {
        previousHref: page > 1 ? pageLink(page - 1) : undefined,
        nextHref: profile.mandatesMore ? pageLink(page + 1) : undefined,
        summary: page > 1 || profile.mandatesMore ? req.t('self:mandatesPage', { page }) : undefined,
      },
      requests,
      fullName: personName,
      ...extra,
    })
  }

  router.get(paths.mine, allow('user'), (req, res) => render(req, res, 200))

  router.post(paths.mineMobile, allow('user'), async (req, res) => {
    const mobile = formText(req.body, 'mobile')
    try {
      await selfService.changeMobile(principal(req), actorFrom(req), mobile)
      flash(req, 'success', req.t('self:mobile.done'))
      res.redirect(303, links.mine())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      await render(req, res, 422, { errors: ruleErrors(error, req.t), values: { mobile } })
    }
  })

  router.post(paths.mineMailLocale, allow('user'), async (req, res) => {
    const mailLocale = parseMailLocale(formText(req.body, 'mailLocale'))
    if (!mailLocale) return render(req, res, 422, { errors: fromFieldMessages({ mailLocale: req.t('common:mailLocale.invalid') }) })
    const changed = await setMailLocale(services.db, actorFrom(req), principal(req).id, mailLocale)
    flash(req, 'success', req.t(changed ? 'common:mailLocale.done' : 'common:mailLocale.unchanged'))
    res.redirect(303, links.mine())
  })

  router.post(paths.mineEmail, allow('user'), async (req, res) => {
    const email = formText(req.body, 'email').slice(0, 300)
    try {
      await selfService.requestEmailChange(principal(req), actorFrom(req), email)
      flash(req, 'success', req.t('self:email.sent', { email: email.trim() }))
      res.redirect(303, links.mine())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      await render(req, res, 422, { errors: ruleErrors(error, req.t), values: { email } })
    }
  })

  // The link in the e-mail: works without login, only for the change it names.
  router.get(paths.mineEmailConfirm, allow('anonymous'), async (req, res) => {
    const found = await selfService.describeEmailToken(String(req.params.token))
    res.status(found.ok ? 200 : 410).render('pages/self/email-confirm', { title: req.t('self:email.confirmTitle'), found, token: String(req.params.token) })
  })

  router.post(paths.mineEmailConfirm, allow('anonymous'), async (req, res) => {
    const result = await selfService.confirmEmailChange(String(req.params.token), actorFrom(req))
    if (result.ok) {
      flash(req, 'success', req.t('self:email.changed', { email: result.email }))
      return res.redirect(303, req.user ? links.mine() : links.login())
    }
    res.status(410).render('pages/self/email-confirm', { title: req.t('self:email.confirmTitle'), found: result, token: '' })
  })

  for (const [path, accept] of [
    [paths.mineRequestAccept, true],
    [paths.mineRequestReject, false],
  ] as const) {
    const decide = async (req: Request, id: string) => {
      const requests = await requestsService.pendingForUser(principal(req))
      const organisation = requests.find((r) => r.id === id)?.organisation.name ?? ''
      await requestsService.decide(principal(req), actorFrom(req), id, accept)
      return req.t(accept ? 'requests:mine.accepted' : 'requests:mine.rejected', { organisation })
    }
    router.post(
      path,
      allow('user'),
      rowAction(decide, () => links.mine()),
    )
  }

  return router
}
