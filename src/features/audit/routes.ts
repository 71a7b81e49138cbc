// Beheer → Logboek and its CSV export. One page for admins (their organisations) and the back
// office (everything): `allow('admin', 'backoffice')`.
import { Router, type Request } from 'express'
import { csvCell, csvStream } from '../../web/csv.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal as principalOf } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { addDays, isoDate } from '../../domain/dates.ts'
import { formatDateTime, isoDateTimeAmsterdam } from '../../web/format.ts'
import { auditChanges, auditSentence } from '../../shared/auditSentences.ts'
import { auditSubject, type AuditNames } from '../../shared/auditSubjects.ts'
import { currentAction } from '../../domain/auditActions.ts'
import { fromFieldMessages, keepValues, parseForm } from '../../web/forms.ts'
import { chooseOrganisation, organisationFilter } from '../../web/organisationChoice.ts'
import type { AuditFilter, AuditRow } from './auditLogService.ts'
import { auditFieldOrder, auditQuerySchema, type AuditQuery } from './schemas.ts'
import { PAGE_SIZE_OPTIONS, pageSizeOf } from '../../shared/pageSizes.ts'

function toFilter(q: AuditQuery): AuditFilter {
  return { organisationId: q.organisatie, user: q.gebruiker, action: q.actie, from: q.van, until: q.tot ? addDays(q.tot, 1) : undefined }
}

/** The filters as a query string again (without the cursor). */
function filterQuery(q: AuditQuery): URLSearchParams {
  const params = new URLSearchParams()
  if (q.organisatie) params.set('organisatie', q.organisatie)
  if (q.gebruiker) params.set('gebruiker', q.gebruiker)
  if (q.actie) params.set('actie', q.actie)
  if (q.van) params.set('van', isoDate(q.van))
  if (q.tot) params.set('tot', isoDate(q.tot))
  if (q.per) params.set('per', q.per)
  return params
}

function sectionFor(req: Request) {
  const admin = (req.user?.adminOrganisations.length ?? 0) > 0
  return admin
    ? { section: 'beheer', subsection: 'auditLog', breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.mandates }] }
    : { section: 'auditLog', subsection: '', breadcrumbs: [{ label: req.t('common:nav.backoffice'), href: paths.backoffice }] }
}

/**
 * One entry as the page shows it (views/pages/audit/_rows.ejs): a sentence, the subject's page, the
 * change in named fields. The fields are listed, not spread: `{ ...row, sentence }` takes V8 off its
 * fast path (a new hidden class per object, about 2 µs each; a third of the page's rows' cost).
 */
function describe(req: Request, names: AuditNames, row: AuditRow) {
  const locale = req.locale
  return {
    at: row.at,
    action: row.action,
    organisationName: row.organisationName,
    ipAddress: row.ipAddress,
    requestId: row.requestId,
    sentence: auditSentence(req.t, locale, names, row),
    subject: auditSubject(names, row),
    changes: auditChanges(req.t, locale, row),
  }
}

/** The action's label from the catalogue (the code itself when it is not one the app writes now). */
function actionLabel(req: Request, action: string): string {
  const known = currentAction(action)
  return known ? req.t(`audit:actions.${known}`) : action
}

/**
 * The action filter's choices in the request's language: the same list on every request (every
 * action the app writes), so translated once per language rather than sixty catalogue look-ups a page.
 */
const actionChoices = new Map<string, { value: string; label: string }[]>()
function actionOptions(req: Request, actions: readonly string[]): { value: string; label: string }[] {
  const key = `${req.locale}:${actions.length}`
  let choices = actionChoices.get(key)
  if (!choices) {
    choices = actions.map((a) => ({ value: a, label: actionLabel(req, a) }))
    actionChoices.set(key, choices)
  }
  return choices
}

/** A spreadsheet must not run a cell as a formula (CSV injection). */
/** Kept for callers of the old name: the one CSV writer is src/web/csv.ts. */
export const csvSafe = csvCell

export function auditRoutes({ auditLogService }: Services): Router {
  const router = Router()

  router.get(paths.beheer.auditLog, allow('admin', 'backoffice'), async (req, res) => {
    const principal = principalOf(req)
    const options = await auditLogService.filterOptions(principal, req.query.organisatie)
    const parsed = parseForm(auditQuerySchema, req.query, req.t, auditFieldOrder)
    const organisation = parsed.ok ? organisationFilter(options.organisations, parsed.data.organisatie, req.t) : null
    const organisationMessage = organisation?.message
    const common = {
      title: req.t('audit:title'),
      ...sectionFor(req),
      options,
      formatDateTime,
      exportPath: links.auditLogExport(),
      actionOptions: actionOptions(req, options.actions),
      pageSizeOptions: PAGE_SIZE_OPTIONS,
      organisationId: organisation?.id ?? '',
    }
    if (!parsed.ok || organisationMessage) {
      return res.status(400).render('pages/audit/index', {
        ...common,
        errors: parsed.ok ? fromFieldMessages({ organisatie: organisationMessage! }) : parsed.errors,
        values: parsed.ok ? keepValues(req.query) : parsed.values,
        rows: [],
        emptyText: req.t('audit:empty'),
        pagination: null,
        exportHref: links.auditLogExport(),
      })
    }
    const q = { ...parsed.data, organisatie: organisation?.id }
    const { rows, next } = await auditLogService.page(principal, toFilter(q), q.na ? BigInt(q.na) : undefined, pageSizeOf(q.per))
    const names = await auditLogService.names(principal, req.t, rows)
    const params = filterQuery(q)
    const nextParams = new URLSearchParams(params)
    if (next) nextParams.set('na', next)
    res.render('pages/audit/index', {
      ...common,
      values: keepValues(req.query),
      // Nothing to show without a filter: nothing has been logged yet (not "nothing matches the filters").
      emptyText: req.t(q.organisatie || q.gebruiker || q.actie || q.van || q.tot || q.na ? 'audit:empty' : 'audit:emptyLog'),
      rows: rows.map((row) => describe(req, names, row)),
      pagination: {
        firstHref: q.na ? links.auditLog(params) : undefined,
        nextHref: next ? links.auditLog(nextParams) : undefined,
      },
      exportHref: links.auditLogExport(params),
    })
  })

  router.get(paths.beheer.auditLogExport, allow('admin', 'backoffice'), async (req, res) => {
    const principal = principalOf(req)
    const parsed = auditQuerySchema.safeParse(req.query)
    if (!parsed.success) return res.redirect(303, paths.beheer.auditLog)
    // The page's links carry an organisation's id; a typed name is resolved as the page does it.
    const choice = chooseOrganisation((await auditLogService.filterOptions(principal, parsed.data.organisatie)).organisations, parsed.data.organisatie)
    if (choice.kind === 'unknown' || choice.kind === 'several') return res.redirect(303, links.auditLog(new URLSearchParams({ organisatie: choice.text })))
    parsed.data.organisatie = choice.kind === 'one' ? choice.id : undefined
    const t = req.t
    res.setHeader('Content-Type', 'text/csv; charset=utf-8')
    res.setHeader('Content-Disposition', `attachment; filename="logboek-${isoDate(new Date())}.csv"`)
    const columns = ['at', 'actor', 'action', 'sentence', 'organisation', 'kvk', 'subjectType', 'subjectId', 'before', 'after', 'ip', 'requestId']
    const csv = csvStream({ header: columns.map((key) => t(`audit:columns.${key}`)) })
    csv.stream.pipe(res)
    const write = (row: AuditRow, names: AuditNames) =>
      csv.write([
        isoDateTimeAmsterdam(row.at),
        row.actorLabel,
        actionLabel(req, row.action),
        auditSentence(t, req.locale, names, row),
        row.organisationName,
        row.kvkNumber,
        row.subjectType,
        row.subjectId,
        row.before,
        row.after,
        row.ipAddress,
        row.requestId,
      ])
    for await (const batch of auditLogService.all(principal, toFilter(parsed.data))) {
      const names = await auditLogService.names(principal, t, batch)
      for (const row of batch) {
        if (!write(row, names)) await new Promise((resolve) => csv.stream.once('drain', resolve))
      }
    }
    csv.end()
  })

  return router
}
