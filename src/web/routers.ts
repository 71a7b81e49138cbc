// A feature's routes as one router made of its parts (list, wizard, detail …), in the order given:
// Express tries them in that order, so a fixed path (`/toevoegen`) goes before a parameter (`/:id`).
import { Router } from 'express'

export function combineRouters(...parts: Router[]): Router {
  const router = Router()
  for (const part of parts) router.use(part)
  return router
}
