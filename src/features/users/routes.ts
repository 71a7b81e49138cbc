import { Router, type Request, type Response } from 'express'
import { stringify } from 'csv-stringify/sync'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths, type Query } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { fromFieldMessages, ruleErrors, type FormErrors } from '../../web/forms.ts'
import { formatDate } from '../../web/format.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVELS, levelLabel, parseLevel } from '../../domain/levels.ts'
import { CsvFileError, emptyRow, MAX_FORM_ROWS, readCsv, ROW_FIELDS, sampleCsv, type CheckedRow, type RawRow, type ValidRow } from './importRows.ts'
import { userFilterSchema } from './schemas.ts'
import { personName } from '../../domain/names.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs, type Crumb } from '../../web/breadcrumbs.ts'

declare module 'express-session' {
  interface SessionData {
    userImport?: { rows: ValidRow[]; at: number }
  }
}

const MEANS_STATUSES = ['requested', 'active', 'suspended', 'revoked', 'expired'] as const

function beheer(req: Request, extra: Record<string, unknown>) {
  return { section: 'beheer', subsection: 'users', ...extra }
}

function crumbs(req: Request, ...more: Crumb[]) {
  return beheerCrumbs(req, 'users', ...more)
}

/** The filters as a query (without the cursor `na`), plus `extra`. */
function filterQuery(filter: Record<string, unknown>, extra: Record<string, string> = {}): Query {
  const query: Query = {}
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v && k !== 'na') query[k] = String(v)
  return query
}

function rowCount(body: Record<string, unknown>): number {
  const n = Number(body.rowCount)
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_FORM_ROWS) : 1
}

function formRows(body: Record<string, unknown>, count: number): { line: number; values: RawRow }[] {
  const rows: { line: number; values: RawRow }[] = []
  for (let i = 0; i < count; i++) {
    const values = emptyRow()
    for (const f of ROW_FIELDS) {
      const v = body[`${f}_${i}`]
      values[f] = typeof v === 'string' ? v.slice(0, 300) : ''
    }
    rows.push({ line: i + 1, values })
  }
  return rows
}

function isBlank(values: RawRow): boolean {
  return ROW_FIELDS.every((f) => f === 'organisation' || f === 'termYears' || f === 'level' || !values[f].trim())
}

export function userRoutes({ usersService, importService, config, activationService }: Services): Router {
  const router = Router()

  router.get(paths.beheer.users, allow('admin'), async (req, res) => {
    const parsed = userFilterSchema.safeParse(req.query)
    const filter = parsed.success ? parsed.data : {}
    const { rows, next } = await usersService.list(principal(req), filter, filter.na)
    res.render(
      'pages/users/list',
      beheer(req, {
        title: req.t('users:list.title'),
        breadcrumbs: crumbs(req),
        rows,
        filter,
        organisations: principal(req).adminOrganisations,
        levels: LEVELS,
        meansStatuses: MEANS_STATUSES,
        exportHref: links.usersExport(filterQuery(filter)),
        pagination: {
          firstHref: filter.na ? links.users(filterQuery(filter)) : undefined,
          nextHref: next ? links.users(filterQuery(filter, { na: next })) : undefined,
        },
      }),
    )
  })

  router.get(paths.beheer.usersExport, allow('admin'), async (req, res) => {
    const parsed = userFilterSchema.safeParse(req.query)
    const rows = await usersService.exportRows(principal(req), parsed.success ? parsed.data : {})
    const t = req.t
    const csv = stringify(
      rows.map((r) => [
        personName(r),
        r.email,
        r.mobile ?? '',
        r.level ? levelLabel(r.level) : '',
        r.meansStatus ? t(`users:meansStatus.${r.meansStatus}`) : '',
        formatDate(r.meansValidUntil, req.locale),
        r.mandates,
        r.organisations.join(', '),
      ]),
      {
        header: true,
        delimiter: ';',
        bom: true,
        columns: ['name', 'email', 'mobile', 'level', 'status', 'validUntil', 'mandates', 'organisations'].map((c) => t(`users:export.${c}`)),
      },
    )
    res.type('text/csv; charset=utf-8').attachment('gebruikers.csv').send(csv)
  })

  // ---- Gebruikers toevoegen -------------------------------------------------------------------

  function renderAdd(
    req: Request,
    res: Response,
    status: number,
    extra: { count?: number; errors?: FormErrors; values?: Record<string, unknown>; uploadErrors?: FormErrors } = {},
  ) {
    const orgs = principal(req).adminOrganisations
    const values = extra.values ?? (orgs.length === 1 ? { organisation_0: orgs[0]!.id } : {})
    res.status(status).render(
      'pages/users/add',
      beheer(req, {
        title: req.t('users:add.title'),
        breadcrumbs: crumbs(req, { label: req.t('users:add.title') }),
        count: extra.count ?? 1,
        fields: ROW_FIELDS,
        organisations: orgs,
        levels: LEVELS,
        errors: extra.errors ?? extra.uploadErrors ?? { summary: [], fields: {} },
        values,
      }),
    )
  }

  function renderPreview(req: Request, res: Response, rows: CheckedRow[], valid: ValidRow[], source: 'form' | 'csv') {
    req.session.userImport = { rows: valid, at: Date.now() }
    const orgs = new Map(principal(req).adminOrganisations.map((o) => [o.id, o]))
    res.status(valid.length > 0 ? 200 : 422).render(
      'pages/users/preview',
      beheer(req, {
        title: req.t('users:preview.title'),
        breadcrumbs: crumbs(req, { label: req.t('users:add.title'), href: links.usersAdd() }, { label: req.t('users:preview.title') }),
        invalid: rows.filter((r) => !r.valid),
        valid: valid.slice(0, 200),
        validCount: valid.length,
        total: rows.length,
        source,
        orgName: (id: string) => orgs.get(id)?.name ?? '',
        kvkName: (kvk: string) => principal(req).adminOrganisations.find((o) => o.kvkNumber === kvk || o.id === kvk)?.name ?? kvk,
        levelLabel,
        fieldLabel: (f: string) => req.t(`users:fields.${f}`),
      }),
    )
  }

  router.get(paths.beheer.usersAdd, allow('admin'), (req, res) => renderAdd(req, res, 200))

  router.get(paths.beheer.usersAddSample, allow('admin'), (req, res) => {
    res
      .type('text/csv; charset=utf-8')
      .attachment('gebruikers-voorbeeld.csv')
      .send(sampleCsv(principal(req).adminOrganisations[0]?.kvkNumber))
  })

  router.post(paths.beheer.usersAdd, allow('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    let count = rowCount(body)
    const rows = formRows(body, count)
    const values: Record<string, unknown> = {}
    for (const row of rows) for (const f of ROW_FIELDS) values[`${f}_${row.line - 1}`] = row.values[f]
    if (body.emailConfirmed === '1') values.emailConfirmed = '1'
    if (body.action === 'addRow') {
      if (count < MAX_FORM_ROWS) count++
      return renderAdd(req, res, 200, { count, values })
    }
    const filled = rows.filter((r) => !isBlank(r.values))
    const messages: Record<string, string> = {}
    if (filled.length === 0) messages.firstName_0 = req.t('users:import.errors.noRows')
    if (body.emailConfirmed !== '1') messages.emailConfirmed = req.t('users:import.errors.emailConfirm')
    const preview = await importService.preview(principal(req), filled, 'id')
    for (const row of preview.rows) {
      for (const [field, error] of Object.entries(row.errors))
        messages[`${field}_${row.line - 1}`] = req.t(error.key, { ...error.params, line: error.params?.line })
    }
    if (Object.keys(messages).length > 0) {
      const order = ['emailConfirmed', ...rows.flatMap((r) => ROW_FIELDS.map((f) => `${f}_${r.line - 1}`))]
      return renderAdd(req, res, 422, { count, values, errors: fromFieldMessages(messages, order) })
    }
    renderPreview(req, res, preview.rows, preview.valid, 'form')
  })

  router.post(paths.beheer.usersUpload, allow('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const fail = (key: string, params: Record<string, unknown> = {}) =>
      renderAdd(req, res, 422, {
        values: { emailConfirmed: body.emailConfirmed },
        errors: fromFieldMessages({ file: req.t(key, params) }, ['file', 'emailConfirmedFile']),
      })
    if (req.uploadError === 'LIMIT_FILE_SIZE') return fail('users:import.errors.fileTooLarge', { max: '2 MB' })
    if (req.uploadError) return fail('users:import.errors.fileUnreadable')
    if (!req.file || req.file.size === 0) return fail('users:import.errors.fileMissing')
    if (body.emailConfirmed !== '1') {
      return renderAdd(req, res, 422, { errors: fromFieldMessages({ emailConfirmedFile: req.t('users:import.errors.emailConfirm') }) })
    }
    let rows
    try {
      rows = readCsv(req.file.buffer)
    } catch (error) {
      if (error instanceof CsvFileError) return fail(error.messageKey, error.params)
      throw error
    }
    const preview = await importService.preview(principal(req), rows, 'kvk')
    renderPreview(req, res, preview.rows, preview.valid, 'csv')
  })

  router.post(paths.beheer.usersAddConfirm, allow('admin'), async (req, res) => {
    const pending = req.session.userImport
    if (!pending || pending.rows.length === 0) {
      flash(req, 'warning', req.t('users:import.errors.previewGone'))
      return res.redirect(303, links.usersAdd())
    }
    try {
      const result = await importService.commit(principal(req), actorFrom(req), pending.rows)
      delete req.session.userImport
      flash(req, 'success', req.t('users:import.done', { count: result.created, active: result.active, waiting: result.awaitingCheck }))
      res.redirect(303, links.users())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      delete req.session.userImport
      renderAdd(req, res, 422, { errors: ruleErrors(error, req.t) })
    }
  })

  // ---- Detail and upgrade ------------------------------------------------------------------------

  async function renderDetail(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const { user, audit } = await usersService.detail(principal(req), parseParams(idParam, req.params).id)
    const activeMeans = user.means.find((m) => m.status === 'active')
    res.status(status).render(
      'pages/users/detail',
      beheer(req, {
        title: personName(user),
        breadcrumbs: crumbs(req, { label: personName(user) }),
        person: user,
        audit,
        activeMeans,
        levels: LEVELS,
        levelLabel,
        upgradeOrganisations: principal(req).adminOrganisations.filter((o) => user.links.some((l) => l.organisationId === o.id)),
        activated: await activationService.isActivated(user.id),
        ...extra,
      }),
    )
  }

  router.get(paths.beheer.userDetail, allow('admin'), (req, res) => renderDetail(req, res, 200))

  router.post(paths.beheer.userUpgrade, allow('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const level = parseLevel(String(body.level ?? ''))
    const organisationId = String(body.organisationId ?? '')
    if (!level || !/^[0-9a-f-]{36}$/.test(organisationId)) {
      return renderDetail(req, res, 400, { errors: fromFieldMessages({ level: req.t('users:upgrade.errors.level') }), values: body })
    }
    try {
      const status = await usersService.requestUpgrade(principal(req), actorFrom(req), { userId: parseParams(idParam, req.params).id, organisationId, level })
      flash(req, 'success', req.t(`users:upgrade.done.${status}`, { level: levelLabel(level) }))
      res.redirect(303, links.userDetail(String(req.params.id)))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      await renderDetail(req, res, 422, { errors: ruleErrors(error, req.t), values: body })
    }
  })

  return router
}
