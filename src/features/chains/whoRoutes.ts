// Beheer → Wie mag wat: for an organisation and a service, every person who may act, with the path;
// also as CSV through the one CSV writer (src/web/csv.ts: cells that could run as formulas are neutralised).
import { Router, type Request } from 'express'
import { csvText } from '../../web/csv.ts'
import { levelLabel } from '../../domain/levels.ts'
import { paths } from '../../paths.ts'
import { allow } from '../../policy/access.ts'
import type { AuthorisationPath } from '../../shared/authorisations.ts'
import { principal } from '../../web/principal.ts'
import { chainsPage } from './routeHelpers.ts'
import { whoQuerySchema } from './schemas.ts'
import { formText, fromFieldMessages } from '../../web/forms.ts'
import { organisationFilter } from '../../web/organisationChoice.ts'
import type { WhoRow, WhoService } from './whoService.ts'
import { withFields } from '../../shared/withFields.ts'

export function pathText(req: Request, path: AuthorisationPath): string {
  if (path.via === 'chain')
    return req.t('chains:who.path.chain', { name: path.intermediary.name, kvk: path.intermediary.kvkNumber, scope: req.t(`chains:who.scope.${path.scope}`) })
  return req.t(`chains:who.path.${path.scope}`)
}

export function whoRoutes(deps: { whoService: WhoService }): Router {
  const router = Router()
  const service = deps.whoService

  /**
   * The chosen organisation (default: the first administered; a name or KvK number that fits none or
   * several of the admin's is `message`) and service; rows when both are chosen.
   */
  async function load(req: Request): Promise<{ organisationId: string; serviceId: string; rows: WhoRow[] | null; message: string | null }> {
    const q = whoQuerySchema.safeParse(req.query)
    const p = principal(req)
    const organisation = organisationFilter(p.adminOrganisations, q.success ? q.data.organisatie : undefined, req.t)
    const organisationId = organisation.id ?? (organisation.message ? '' : (p.adminOrganisations[0]?.id ?? ''))
    const serviceId = (q.success && q.data.dienst) || ''
    const rows = organisationId && serviceId ? await service.who(p, organisationId, serviceId) : null
    return { organisationId, serviceId, rows, message: organisation.message }
  }

  router.get(paths.chains.who, allow('admin'), async (req, res) => {
    const { organisationId, serviceId, rows, message } = await load(req)
    if (message) res.status(400)
    res.render('pages/chains/who', {
      ...chainsPage(req, req.t('chains:who.title'), [{ label: req.t('chains:who.title') }], 'who'),
      organisations: principal(req).adminOrganisations,
      organisationId,
      services: await service.services(),
      values: { organisatie: message ? formText(req.query, 'organisatie') : organisationId, dienst: serviceId },
      ...(message ? { errors: fromFieldMessages({ organisatie: message }) } : {}),
      rows: rows?.map((r) => withFields(r, { pathText: pathText(req, r.path), levelText: levelLabel(r.level) })) ?? null,
    })
  })

  router.get(paths.chains.whoExport, allow('admin'), async (req, res) => {
    const { rows } = await load(req)
    const csv = csvText(
      (rows ?? []).map((r) => [r.name, r.email, levelLabel(r.level), pathText(req, r.path)]),
      { delimiter: ';', header: ['name', 'email', 'level', 'path'].map((c) => req.t(`chains:who.export.${c}`)) },
    )
    res.type('text/csv; charset=utf-8').attachment('wie-mag-wat.csv').send(csv)
  })

  return router
}
