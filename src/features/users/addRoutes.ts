// Beheer → Gebruikers → "Gebruikers toevoegen": rows typed in the form or a CSV file, a preview that
// checks every row, and the confirmation that stores the valid ones.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import { fromFieldMessages, ruleErrors, type FormErrors } from '../../web/forms.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVELS, levelLabel } from '../../domain/levels.ts'
import { CsvFileError, emptyRow, MAX_FORM_ROWS, readCsv, ROW_FIELDS, sampleCsv, type CheckedRow, type RawRow, type ValidRow } from './importRows.ts'
import type { ImportService } from './importService.ts'
import { crumbs, usersPage } from './pageLocals.ts'

declare module 'express-session' {
  interface SessionData {
    userImport?: { rows: ValidRow[]; at: number }
  }
}

type AddExtra = { count?: number; errors?: FormErrors; values?: Record<string, unknown>; uploadErrors?: FormErrors }

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

function renderAdd(req: Request, res: Response, status: number, extra: AddExtra = {}) {
  const orgs = principal(req).adminOrganisations
  const values = extra.values ?? (orgs.length === 1 ? { organisation_0: orgs[0]!.id } : {})
  res.status(status).render(
    'pages/users/add',
    usersPage({
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
    usersPage({
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

function sendSample(req: Request, res: Response) {
  res
    .type('text/csv; charset=utf-8')
    .attachment('gebruikers-voorbeeld.csv')
    .send(sampleCsv(principal(req).adminOrganisations[0]?.kvkNumber))
}

/** The typed values of every row, by field name (`firstName_0`), to show the form again. */
function typedValues(body: Record<string, unknown>, rows: { line: number; values: RawRow }[]): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const row of rows) for (const f of ROW_FIELDS) values[`${f}_${row.line - 1}`] = row.values[f]
  if (body.emailConfirmed === '1') values.emailConfirmed = '1'
  return values
}

async function postForm(importService: ImportService, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  let count = rowCount(body)
  const rows = formRows(body, count)
  const values = typedValues(body, rows)
  if (body.action === 'addRow') {
    if (count < MAX_FORM_ROWS) count++
    return renderAdd(req, res, 200, { count, values })
  }
  const filled = rows.filter((r) => !isBlank(r.values))
  const messages: Record<string, string> = {}
  if (filled.length === 0) messages.firstName_0 = req.t('users:import.errors.noRows')
  if (body.emailConfirmed !== '1') messages.emailConfirmed = req.t('users:import.errors.emailConfirm')
  // Each row's organisation as chosen (an id) or typed (a name or KvK number, when the admin has too many for a list).
  const organisationMessages: Record<string, string> = {}
  for (const row of filled) {
    const { body: resolved, message } = resolveOrganisationField(principal(req).adminOrganisations, row.values, 'organisation', req.t)
    if (message) organisationMessages[`organisation_${row.line - 1}`] = message
    else row.values = resolved as RawRow
  }
  const preview = await importService.preview(principal(req), filled, 'id')
  for (const row of preview.rows) {
    for (const [field, error] of Object.entries(row.errors))
      messages[`${field}_${row.line - 1}`] = req.t(error.key, { ...error.params, line: error.params?.line })
  }
  Object.assign(messages, organisationMessages)
  if (Object.keys(messages).length > 0) {
    const order = ['emailConfirmed', ...rows.flatMap((r) => ROW_FIELDS.map((f) => `${f}_${r.line - 1}`))]
    return renderAdd(req, res, 422, { count, values, errors: fromFieldMessages(messages, order) })
  }
  renderPreview(req, res, preview.rows, preview.valid, 'form')
}

async function postUpload(importService: ImportService, req: Request, res: Response) {
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
}

async function postConfirm(importService: ImportService, req: Request, res: Response) {
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
}

export function userAddRoutes({ importService }: { importService: ImportService }): Router {
  const router = Router()
  router.get(paths.beheer.usersAdd, allow('admin'), (req, res) => renderAdd(req, res, 200))
  router.get(paths.beheer.usersAddSample, allow('admin'), sendSample)
  router.post(paths.beheer.usersAdd, allow('admin'), (req, res) => postForm(importService, req, res))
  router.post(paths.beheer.usersUpload, allow('admin'), (req, res) => postUpload(importService, req, res))
  router.post(paths.beheer.usersAddConfirm, allow('admin'), (req, res) => postConfirm(importService, req, res))
  return router
}
