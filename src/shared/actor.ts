import type { Request } from 'express'
import type { Principal } from './principal.ts'

/** Who does something, from where: what every state-changing service call receives. */
export type Actor = {
  principal: Principal | null
  /** For actions without a login (a legal representative's signing link, the expiry job). */
  label: string
  ipAddress: string | null
  requestId: string | null
  locale: 'nl' | 'en'
  /** Set when an API client acts (rule 25): the audit names the client (`api:<name>`), not a person. */
  apiClient?: { id: string; name: string }
}

export function actorFrom(req: Request): Actor {
  return {
    principal: req.user ?? null,
    label: req.user?.email ?? 'anoniem',
    ipAddress: req.ip ?? null,
    requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : null,
    locale: req.locale ?? 'nl',
  }
}

export function systemActor(label = 'systeem'): Actor {
  return { principal: null, label, ipAddress: null, requestId: null, locale: 'nl' }
}

/** The actor label of an API client in the audit trail. */
export function apiActorLabel(name: string): string {
  return `api:${name}`.slice(0, 254)
}
