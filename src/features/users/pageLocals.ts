// What the Gebruikers pages share: the locals of the Beheer section and its breadcrumb trail.
import type { Request } from 'express'
import { beheerCrumbs, type Crumb } from '../../web/breadcrumbs.ts'

export function usersPage(extra: Record<string, unknown>) {
  return { section: 'beheer', subsection: 'users', ...extra }
}

export function crumbs(req: Request, ...more: Crumb[]) {
  return beheerCrumbs(req, 'users', ...more)
}
