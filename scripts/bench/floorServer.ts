// The app on a free local port with the floor route spliced in before the 404 handler (bench only).
// It imports nothing from src/, so a bench can serve the built app (dist/) with it.
import type { Server } from 'node:http'
import path from 'node:path'
import type { Express, RequestHandler } from 'express'

export const FLOOR_PATH = '/beheer/floor'

export async function serveWithFloor(
  app: Express,
  allowAdmin: RequestHandler,
  projectRoot: string,
  subsection: string,
): Promise<{ base: string; close: () => void }> {
  app.get(FLOOR_PATH, allowAdmin, (_req, res) => {
    res.render(path.join(projectRoot, 'scripts/bench/floor.ejs'), { title: 'Floor', section: 'beheer', subsection })
  })
  const stack = (app as unknown as { router: { stack: unknown[] } }).router.stack
  const floorLayer = stack.pop()!
  stack.splice(stack.length - 2, 0, floorLayer) // before the 404 handler and the error handler
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}
