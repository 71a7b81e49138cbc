import type { Request, RequestHandler } from 'express'
import { RuleViolation } from '../errors.ts'
import { idParam, parseParams } from '../policy/params.ts'

/** Confirmation messages that survive one redirect (Post/Redirect/Get); shown by the layout (src/middleware/setUpFlash.ts). */
export function flash(req: Request, type: 'success' | 'info' | 'warning' | 'error', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }]
}

/** Runs the action of a list row: its message is flashed as a success, a refusal (RuleViolation) as an error. */
export async function flashOutcome(req: Request, run: () => Promise<string>): Promise<void> {
  try {
    flash(req, 'success', await run())
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error
    flash(req, 'error', req.t(error.messageKey, error.params))
  }
}

/** The handler of a POST on one row (`:id`): runs the action, flashes its outcome, then goes back (Post/Redirect/Get). */
export function rowAction(run: (req: Request, id: string) => Promise<string>, back: (id: string) => string): RequestHandler {
  return async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    await flashOutcome(req, () => run(req, id))
    res.redirect(303, back(id))
  }
}
