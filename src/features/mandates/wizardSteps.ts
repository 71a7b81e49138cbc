// The steps of "Nieuwe Machtigingen Aanvragen": their order, their pages, and the guard that sends
// a visitor back to the first step whose input is missing. The wizard's state lives in the session.
import type { Request, Response } from 'express'
import { links, paths } from '../../paths.ts'
import { beheer } from './routeHelpers.ts'
import type { MandateWizard } from './session.ts'

export const STEPS = ['organisation', 'user', 'level', 'services', 'term', 'confirm'] as const
export type Step = (typeof STEPS)[number]

const stepPath: Record<Step, string> = {
  organisation: paths.mandates.wizardOrganisation,
  user: paths.mandates.wizardUser,
  level: paths.mandates.wizardLevel,
  services: paths.mandates.wizardServices,
  term: paths.mandates.wizardTerm,
  confirm: paths.mandates.wizardConfirm,
}

export const wizardOf = (req: Request): MandateWizard => (req.session.mandateWizard ??= { items: [] })

/** The first step whose input is missing; a later step cannot be opened before it. */
function missingStep(w: MandateWizard, upTo: Step): Step | null {
  const done: Record<Step, boolean> = {
    organisation: Boolean(w.organisationId),
    user: Boolean(w.userId),
    level: Boolean(w.level),
    services: w.items.length > 0,
    term: Boolean(w.termYears),
    confirm: false,
  }
  for (const step of STEPS) {
    if (step === upTo) return null
    if (!done[step]) return step
  }
  return null
}

/** The wizard when every step before `step` is done; else redirects to the missing one and returns null. */
export function guard(req: Request, res: Response, step: Step): MandateWizard | null {
  const w = wizardOf(req)
  const missing = missingStep(w, step)
  if (missing) {
    res.redirect(303, stepPath[missing])
    return null
  }
  return w
}

export function wizardLocals(req: Request, step: Step) {
  return {
    ...beheer(req, req.t(`mandates:wizard.${step}.title`), [
      { label: req.t('mandates:wizard.title'), href: links.mandateWizard() },
      { label: req.t(`mandates:wizard.${step}.title`) },
    ]),
    stepNumber: STEPS.indexOf(step) + 1,
    stepCount: STEPS.length,
    backHref: step === 'organisation' ? links.mandates() : stepPath[STEPS[STEPS.indexOf(step) - 1]!],
  }
}
