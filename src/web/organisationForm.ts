// A Beheer form that starts with "for which of your organisations" (a link request, an admin
// appointment): its page, with the organisation chosen when the admin has only one, and its POST
// (parse, carry out, flash, redirect; a refusal is shown at its field with the typed values kept).
import type { Request, Response } from 'express'
import type { ZodType, z } from 'zod'
import { RuleViolation } from '../errors.ts'
import { beheerCrumbs, type BeheerTab } from './breadcrumbs.ts'
import { flash } from './flash.ts'
import { fromFieldMessages, keepValues, parseForm, ruleErrors } from './forms.ts'
import { resolveOrganisationField } from './organisationChoice.ts'
import { principal } from './principal.ts'

export type OrganisationForm<S extends ZodType> = {
  tab: BeheerTab
  view: string
  titleKey: string
  schema: S
  /** The fields in page order, for the error summary. */
  order: string[]
  /** More locals for the page (the lists its selects offer). */
  locals?: Record<string, unknown>
  /** Carries the form out and returns the success message; a RuleViolation is shown on the form. */
  submit: (req: Request, data: z.infer<S>) => Promise<string>
  /** Where the admin goes once it is done. */
  doneHref: () => string
}

export function organisationForm<S extends ZodType>(form: OrganisationForm<S>) {
  function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const orgs = principal(req).adminOrganisations
    res.status(status).render(form.view, {
      title: req.t(form.titleKey),
      section: 'beheer',
      subsection: form.tab,
      breadcrumbs: beheerCrumbs(req, form.tab, { label: req.t(form.titleKey) }),
      organisations: orgs,
      ...form.locals,
      values: orgs.length === 1 ? { organisationId: orgs[0]!.id } : {},
      ...extra,
    })
  }

  async function post(req: Request, res: Response) {
    // The organisation as chosen (an id) or typed (a name or KvK number, when the admin has too many for a list).
    const { body, message } = resolveOrganisationField(principal(req).adminOrganisations, req.body, 'organisationId', req.t)
    const parsed = parseForm(form.schema, body, req.t, form.order)
    if (message) {
      const errors = fromFieldMessages({ ...(parsed.ok ? {} : parsed.errors.fields), organisationId: message }, form.order)
      return render(req, res, 400, { errors, values: keepValues(req.body) })
    }
    if (!parsed.ok) return render(req, res, 400, { errors: parsed.errors, values: parsed.values })
    try {
      flash(req, 'success', await form.submit(req, parsed.data))
      res.redirect(303, form.doneHref())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      // A refusal keeps its own status (422 for a rule, 429 when a rate limit refused it).
      render(req, res, error.status, { errors: ruleErrors(error, req.t, form.order), values: parsed.data })
    }
  }

  return { show: (req: Request, res: Response) => render(req, res, 200), post }
}
