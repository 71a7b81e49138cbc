// Beheer → API-koppelingen: the organisation's API clients, a new one (its secret shown once, on the
// answer to the POST, never stored in the session), rotating the secret and revoking a client, and a
// client's long-lived SCIM token for Okta and Entra ID (shown the same way once; revoked in one click).
import type { Request, Response } from 'express'
import { Router } from 'express'
import { RuleViolation } from '../../errors.ts'
import { allow } from '../../policy/access.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { links, paths, SCIM_ROOT } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { API_SCOPES } from '../../shared/apiTokens.ts'
import { ADMIN_LEVELS } from '../../domain/levels.ts'
import { addYears, isoDate, todayUtc } from '../../domain/dates.ts'
import { flash, flashOutcome, rowAction } from '../../web/flash.ts'
import { fromFieldMessages, keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'
import { principal } from '../../web/principal.ts'
import { newClientSchema } from './schemas.ts'

const ORDER = ['organisationId', 'name', 'scopes', 'level', 'validUntil']

export function apiClientRoutes({ apiClientsService, config }: Services): Router {
  const router = Router()

  async function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const p = principal(req)
    res.status(status).render('pages/apiClients/list', {
      title: req.t('apiClients:title'),
      section: 'beheer',
      subsection: 'apiClients',
      breadcrumbs: [{ label: req.t('common:nav.beheer'), href: links.mandates() }, { label: req.t('apiClients:title') }],
      clients: await apiClientsService.list(p),
      organisations: p.adminOrganisations,
      scopes: API_SCOPES,
      levels: ADMIN_LEVELS,
      values: {
        organisationId: p.adminOrganisations.length === 1 ? p.adminOrganisations[0]!.id : '',
        scopes: [],
        validUntil: isoDate(addYears(todayUtc(), 1)),
      },
      created: null,
      scimToken: null,
      ...extra,
    })
  }

  router.get(paths.beheer.apiClients, allow('admin'), (req, res) => render(req, res, 200))

  router.post(paths.beheer.apiClients, allow('admin'), async (req, res) => {
    // The organisation as chosen (an id) or typed (a name or KvK number, when the admin has too many
    // for a list); a text that fits none or several is said at the field with the form's other messages.
    const { body, message } = resolveOrganisationField(principal(req).adminOrganisations, req.body, 'organisationId', req.t)
    const parsed = parseForm(newClientSchema, body, req.t, ORDER)
    if (message) {
      const errors = fromFieldMessages({ ...(parsed.ok ? {} : parsed.errors.fields), organisationId: message }, ORDER)
      const kept = keepValues(req.body)
      return render(req, res, 400, { errors, values: { ...kept, scopes: [kept.scopes ?? []].flat() } })
    }
    if (!parsed.ok) return render(req, res, 400, { errors: parsed.errors, values: { scopes: [], ...parsed.values } })
    try {
      const { client, secret } = await apiClientsService.create(principal(req), actorFrom(req), parsed.data)
      await render(req, res, 201, { created: { id: client.id, name: client.name, secret } })
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      const values = { ...parsed.data, validUntil: isoDate(parsed.data.validUntil) }
      await render(req, res, error.status, { errors: ruleErrors(error, req.t, ORDER), values })
    }
  })

  /** A POST on one client whose answer shows a new credential once (never stored, never redirected to); a refusal is flashed. */
  function shownOnce(run: (req: Request, id: string) => Promise<Record<string, unknown>>) {
    return async (req: Request, res: Response) => {
      const { id } = parseParams(idParam, req.params)
      try {
        await render(req, res, 200, await run(req, id))
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error
        flash(req, 'error', req.t(error.messageKey, error.params))
        res.redirect(303, links.apiClients())
      }
    }
  }

  async function rotate(req: Request, id: string) {
    const { client, secret } = await apiClientsService.rotate(principal(req), actorFrom(req), id)
    return { created: { id: client.id, name: client.name, secret } }
  }
  router.post(paths.beheer.apiClientRotate, allow('admin'), shownOnce(rotate))

  router.post(paths.beheer.apiClientRevoke, allow('admin'), async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    await flashOutcome(req, async () => {
      const client = await apiClientsService.revoke(principal(req), actorFrom(req), id)
      return req.t('apiClients:revoked', { name: client.name })
    })
    res.redirect(303, links.apiClients())
  })

  /** The SCIM token for Okta ("HTTP Header") and Entra ID ("Secret Token"), with the URL they ask for beside it. */
  async function issueScimToken(req: Request, id: string) {
    const { client, token } = await apiClientsService.issueScimToken(principal(req), actorFrom(req), id)
    const baseUrl = `${config.baseUrl.replace(/\/$/, '')}${SCIM_ROOT}`
    return { scimToken: { name: client.name, token, validUntil: client.validUntil, baseUrl } }
  }
  router.post(paths.beheer.apiClientScimToken, allow('admin'), shownOnce(issueScimToken))

  router.post(
    paths.beheer.apiClientScimTokenRevoke,
    allow('admin'),
    rowAction(async (req, id) => {
      const client = await apiClientsService.revokeScimToken(principal(req), actorFrom(req), id)
      return req.t('apiClients:scimToken.revoked', { name: client.name })
    }, links.apiClients),
  )

  return router
}
