// Back office → Klanten: search, an organisation's page (read only), "KvK-gegevens verversen",
// blokkeren / deblokkeren (rule 24). Everything is audited in the service.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { KvkError } from '../../shared/kvk/register.ts'
import { personName } from '../../domain/names.ts'
import { flash, rowAction } from '../../web/flash.ts'
import type { Change } from './customersService.ts'
import { parseMailLocale, setRepresentativeMailLocale } from '../../shared/mailLocale.ts'
import { formText } from '../../web/forms.ts'

export function backofficeCustomerRoutes({ customersService, db }: Services): Router {
  const router = Router()

  router.get(paths.backofficeOrganisations, allow('backoffice'), async (req, res) => {
    const zoek = typeof req.query.zoek === 'string' ? req.query.zoek.slice(0, 200) : ''
    res.render('pages/backoffice/customers', {
      title: req.t('backoffice:customers.title'),
      section: 'backoffice',
      subsection: 'customers',
      organisations: await customersService.search(zoek),
      values: { zoek },
    })
  })

  async function renderDetail(req: Request, res: Response, status: number, changes: Change[] | null = null) {
    const organisation = await customersService.detail(parseParams(idParam, req.params).id)
    res.status(status).render('pages/backoffice/customer', {
      title: organisation.name,
      section: 'backoffice',
      subsection: 'customers',
      breadcrumbs: [{ label: req.t('backoffice:customers.title'), href: links.backofficeOrganisations() }, { label: organisation.name }],
      organisation,
      changes,
      personName,
    })
  }

  router.get(paths.backofficeOrganisation, allow('backoffice'), (req, res) => renderDetail(req, res, 200))

  router.post(paths.backofficeOrganisationRefresh, allow('backoffice'), async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    try {
      const changes = await customersService.refresh(actorFrom(req), id)
      await renderDetail(req, res, 200, changes)
    } catch (error) {
      if (!(error instanceof KvkError)) throw error
      flash(req, 'error', req.t(`registration:kvk.${error.kind}`))
      res.redirect(303, links.backofficeOrganisation(id))
    }
  })

  // A legal representative's mail language (the signing mails to him): the form names him in its body.
  router.post(paths.backofficeRepresentativeLocale, allow('backoffice'), async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    const representativeId = formText(req.body, 'representativeId')
    const locale = parseMailLocale(formText(req.body, 'mailLocale'))
    // A form without a representative or a language (a forged one): said so, nothing changed.
    if (!locale || !/^[0-9a-f-]{36}$/i.test(representativeId)) flash(req, 'error', req.t('common:mailLocale.invalid'))
    else {
      const changed = await setRepresentativeMailLocale(db, actorFrom(req), id, representativeId, locale)
      flash(req, 'success', req.t(changed ? 'common:mailLocale.done' : 'common:mailLocale.unchanged'))
    }
    res.redirect(303, links.backofficeOrganisation(id))
  })

  for (const [path, blocked] of [
    [paths.backofficeOrganisationBlock, true],
    [paths.backofficeOrganisationUnblock, false],
  ] as const) {
    const run = async (req: Request, id: string) => {
      await customersService.setBlocked(actorFrom(req), id, blocked)
      return req.t(blocked ? 'backoffice:customers.blocked' : 'backoffice:customers.unblocked')
    }
    router.post(
      path,
      allow('backoffice'),
      rowAction(run, (id) => links.backofficeOrganisation(id)),
    )
  }

  return router
}
