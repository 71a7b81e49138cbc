// Who may use a route. Every route declares one of these with `allow(...)`; the route matrix test
// reads the declarations from the router, so a new route cannot be forgotten.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { NotFoundError } from '../errors.ts'
import { paths } from '../paths.ts'

export type Access = 'anonymous' | 'user' | 'admin' | 'backoffice'

export type AccessHandler = RequestHandler & { access: Access }

export function isAdmin(req: Request): boolean {
  return (req.user?.adminOrganisations.length ?? 0) > 0
}

function loginRedirect(req: Request, res: Response) {
  if (req.method === 'GET') req.session.returnTo = req.originalUrl
  res.redirect(303, paths.login)
}

export function allow(access: Access): AccessHandler {
  const handler = ((req: Request, res: Response, next: NextFunction) => {
    if (access === 'anonymous') return next()
    if (!req.user) return loginRedirect(req, res)
    if (access === 'user') return next()
    if (access === 'admin' && isAdmin(req)) return next()
    if (access === 'backoffice' && req.user.role === 'backoffice') return next()
    // Pages of a role one does not have do not exist for one (rule 7).
    return next(new NotFoundError())
  }) as AccessHandler
  handler.access = access
  return handler
}
