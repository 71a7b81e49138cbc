// What the Machtigingen routers share: their paths, the page locals of the Beheer section, and the
// small parsing helpers of their handlers.
import type { Request } from 'express'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { paths } from '../../paths.ts'
import { isUuid } from './schemas.ts'

export const BASE = paths.beheer.mandates
export const mandatePaths = {
  list: BASE,
  wizard: `${BASE}/nieuw`,
  organisation: `${BASE}/nieuw/organisatie`,
  user: `${BASE}/nieuw/gebruiker`,
  level: `${BASE}/nieuw/niveau`,
  services: `${BASE}/nieuw/diensten`,
  term: `${BASE}/nieuw/termijn`,
  confirm: `${BASE}/nieuw/bevestigen`,
  result: `${BASE}/nieuw/resultaat`,
  bulkRenew: `${BASE}/verlengen`,
  bulkRenewResult: `${BASE}/verlengen/resultaat`,
  revoke: (id: string) => `${BASE}/${id}/intrekken`,
  renew: (id: string) => `${BASE}/${id}/verlengen`,
  activate: (id: string) => `${BASE}/${id}/activeren`,
  newMeans: `${paths.beheer.users}/toevoegen`,
}

export function query(params: Record<string, string>): string {
  const s = new URLSearchParams(params).toString()
  return s ? `?${s}` : ''
}

/** A route id that is not a uuid does not exist (404, never a 500). */
export function idParam(req: Request): string {
  const id = req.params.id
  if (!isUuid(id)) throw new NotFoundError()
  return id.toLowerCase()
}

export function beheer(req: Request, title: string, crumbs: { label: string; href?: string }[] = []) {
  return {
    title,
    section: 'beheer',
    subsection: 'mandates',
    breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.root }, { label: req.t('common:nav.mandates'), href: BASE }, ...crumbs],
  }
}

/** The refusal a handler shows next to the form; anything else is not a refusal and goes on up. */
export function ruleFailure(error: unknown): RuleViolation {
  if (error instanceof RuleViolation) return error
  throw error
}
