// Every route the app has, read from the Express 5 router stack (nested routers included), with
// its `allow(...)` declaration. Used by the route matrix, CSRF and fuzz tests, so a route added
// anywhere is covered without anyone listing it.
import type { Express } from 'express'
import type { Access } from '../../src/policy/access.ts'

export type RouteInfo = {
  method: string
  path: string
  /** undefined: the route's first handler is not `allow(...)` */
  access: readonly Access[] | undefined
  params: string[]
}

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: { handle: { access?: readonly Access[] } }[] }
  handle?: { stack?: Layer[] }
  rawPath?: string | string[]
  slash?: boolean
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/')
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined
}

function walk(stack: Layer[], prefix: string, out: RouteInfo[]) {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`route with a non-string path under ${prefix}: give it a string path`)
        const full = join(prefix, path)
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on || method === '_all') continue
          out.push({
            method: method.toUpperCase(),
            path: full,
            access: layer.route.stack[0]?.handle.access,
            params: [...full.matchAll(/[:*]([A-Za-z_]\w*)/g)].map((m) => m[1]!),
          })
        }
      }
    } else if (layer.handle?.stack) {
      const raw = layer.rawPath
      if (raw !== undefined && typeof raw !== 'string') throw new Error(`router mounted on a non-string path under ${prefix}`)
      walk(layer.handle.stack, layer.slash || raw === undefined ? prefix : join(prefix, raw), out)
    }
  }
}

export function appRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = []
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out)
  return out
}

/** Fills `:name` parameters from `values`; throws with a pointer to the map when one is missing. */
export function fillPath(route: RouteInfo, values: Record<string, string>, mapName: string): string {
  return route.path.replace(/[:*]([A-Za-z_]\w*)/g, (_m, name: string) => {
    const value = values[name]
    if (value === undefined) {
      throw new Error(
        `The test cannot fill the parameter ":${name}" of ${route.method} ${route.path}. ` +
          `Add "${route.path}" (or the parameter name "${name}") to ${mapName} in tests/security/routeParams.ts, ` +
          `with an id of one of organisation A's (Bakkerij De Vries B.V.) objects from the demo data.`,
      )
    }
    return encodeURIComponent(value)
  })
}
