import type { Request } from 'express'

/** Confirmation messages that survive one redirect (Post/Redirect/Get); shown by the layout (src/middleware/setUpFlash.ts). */
export function flash(req: Request, type: 'success' | 'info' | 'warning' | 'error', message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }]
}
