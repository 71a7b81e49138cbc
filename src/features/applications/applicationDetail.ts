// One application as the admin sees it before signing: who, what, which level, which organisation,
// who signed and who else must sign. The page's "Ondertekenen" carries the version it showed
// (`applicationVersion`): a sign with another version (someone acted in between, a replay, a forged
// form) is refused with the application as it is now, and nothing changes.
import { createHash } from 'node:crypto'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError } from '../../errors.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { levelAtLeast } from '../../domain/levels.ts'
import { representativesSuffice } from '../../domain/rules.ts'

/** The version a confirmation is bound to: status, last change and the signatures so far. */
export function applicationVersion(app: { status: string; updatedAt: Date; signatures: { id: string }[] }): string {
  const signatures = app.signatures
    .map((s) => s.id)
    .sort()
    .join(',')
  return createHash('sha256').update(`${app.status}|${app.updatedAt.toISOString()}|${signatures}`).digest('hex').slice(0, 24)
}

export type SignBlock = 'notOpen' | 'representativesOnly' | 'aboveAdminLevel' | null

const person = { id: true, firstName: true, lastNamePrefix: true, lastName: true, email: true } as const

export async function loadApplicationDetail(db: PrismaClient, principal: Principal, id: string) {
  const app = await db.application.findFirst({
    where: { id, organisationId: { in: adminOrganisationIds(principal) } },
    include: {
      organisation: { select: { id: true, name: true, kvkNumber: true, legalRepresentatives: { orderBy: { name: 'asc' } } } },
      subjectUser: { select: person },
      requestedBy: { select: person },
      items: true,
      signatures: { include: { adminUser: { select: person }, legalRepresentative: true }, orderBy: { signedAt: 'asc' } },
    },
  })
  if (!app) throw new NotFoundError()
  const reps = app.organisation.legalRepresentatives
  const signedReps = new Set(app.signatures.map((s) => s.legalRepresentativeId).filter((r): r is string => Boolean(r)))
  const admin = principal.adminOrganisations.find((o) => o.id === app.organisationId)!
  let block: SignBlock = null
  if (app.status !== 'awaiting_signature') block = 'notOpen'
  else if (app.type === 'admin_appointment') block = 'representativesOnly'
  else if (app.level && !levelAtLeast(admin.level, app.level)) block = 'aboveAdminLevel'
  return {
    app,
    version: applicationVersion(app),
    block,
    /** Legal representatives who have not signed (shown with their authority). */
    unsigned: reps.filter((r) => !signedReps.has(r.id)),
    /** Do the representatives' signatures so far suffice (rule 11)? */
    representativesSuffice: representativesSuffice(app.level, reps, signedReps),
    items: app.items.map((item) =>
      item.details && typeof item.details === 'object' && !Array.isArray(item.details) ? (item.details as Record<string, unknown>) : {},
    ),
  }
}

export type ApplicationDetail = Awaited<ReturnType<typeof loadApplicationDetail>>
