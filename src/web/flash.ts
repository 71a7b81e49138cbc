import type { Request } from 'express'
import { RuleViolation } from '../errors.ts'

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
