// What the Machtigingen routers share: the page locals of the Beheer section, and the
// small parsing helpers of their handlers.
import type { Request, Response } from 'express'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { links, paths } from '../../paths.ts'
import { isUuid } from './schemas.ts'

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
    breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.root }, { label: req.t('common:nav.mandates'), href: links.mandates() }, ...crumbs],
  }
}

/** A result page kept in the session (Post/Redirect/Get); without one, back to the list. */
export function renderStoredResult(req: Request, res: Response, result: unknown, view: string, titleKey: string) {
  if (!result) return res.redirect(303, links.mandates())
  const title = req.t(titleKey)
  res.render(view, { ...beheer(req, title, [{ label: title }]), result })
}

/** The refusal a handler shows next to the form; anything else is not a refusal and goes on up. */
export function ruleFailure(error: unknown): RuleViolation {
  if (error instanceof RuleViolation) return error
  throw error
}
