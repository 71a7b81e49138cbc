// Pages that confirm an action before it is done: GET shows what it will change, POST does it.
import type { Request, Response, Router } from 'express'
import type { AccessHandler } from '../policy/access.ts'

type ModeHandler<M> = (req: Request, res: Response, mode: M) => unknown

/** A confirmation page (GET) and its action (POST) at the path of each mode, the same two handlers for every mode. */
export function confirmationPages<M extends string>(
  router: Router,
  access: AccessHandler,
  pathOf: Readonly<Record<M, string>>,
  handlers: { show: ModeHandler<M>; act: ModeHandler<M> },
): void {
  for (const [mode, path] of Object.entries(pathOf) as [M, string][]) {
    router.get(path, access, (req, res) => handlers.show(req, res, mode))
    router.post(path, access, (req, res) => handlers.act(req, res, mode))
  }
}
