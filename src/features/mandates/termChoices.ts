// What the renew and activate pages of one mandate offer: only the terms rule 4 allows today (the
// same rule as the mail's renewal page, `termChoices`), with the reason for what is left out, and
// no form at all when the mandate cannot be renewed or activated by this admin (with the reason).
import { todayUtc } from '../../domain/dates.ts'
import { withinAdminLevel } from '../../domain/rules.ts'
import { latestEnd, termChoices } from '../../domain/terms.ts'
import type { Level, MandateStatus } from '../../generated/prisma/client.ts'
import type { Principal } from '../../shared/principal.ts'

type TermMandate = { organisationId: string; level: Level; status: MandateStatus; validUntil: Date; expired: boolean }

/** Why the page shows no form (a `mandates:termBlock.*` key), or null. */
function blockFor(mandate: TermMandate, mode: 'renew' | 'activate', principal: Principal): string | null {
  if (mandate.status === 'revoked') return 'revoked'
  if (mandate.status === 'suspended') return 'suspended'
  const org = principal.adminOrganisations.find((o) => o.id === mandate.organisationId)
  if (!org || !withinAdminLevel(org.level, mandate.level)) return 'adminLevel'
  if (mode === 'activate' && !mandate.expired) return mandate.status === 'pending' ? 'pending' : 'notExpired'
  return null
}

export function termPageChoices(mandate: TermMandate, mode: 'renew' | 'activate', principal: Principal, now = new Date()) {
  const today = todayUtc(now)
  // Activating starts today (the mandate has ended); renewing extends from the end date (rule 4).
  const choices = termChoices(mode === 'activate' ? today : mandate.validUntil, today)
  return {
    block: blockFor(mandate, mode, principal),
    offered: choices.filter((c) => c.allowed),
    leftOut: choices.filter((c) => !c.allowed),
    latest: latestEnd(today),
  }
}
