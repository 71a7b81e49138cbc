// The supplier's back office: the identity checks of EH3/EH4 applications (rule 10). It sees every
// organisation; every decision is audited and the user gets 'means-active' on approval.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Config } from '../../config.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { applicationEntry } from '../../shared/workflows/applicationStatus.ts'
import { issue } from '../../shared/workflows/applications.ts'

export class BackofficeService {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
  ) {}

  async queue() {
    const [total, applications] = await Promise.all([
      this.db.application.count({ where: { status: 'awaiting_identity_check' } }),
      this.db.application.findMany({
        where: { status: 'awaiting_identity_check' },
        include: {
          organisation: { select: { name: true, kvkNumber: true } },
          subjectUser: { select: { firstName: true, lastNamePrefix: true, lastName: true, dateOfBirth: true, email: true } },
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 50,
      }),
    ])
    return { total, applications }
  }

  private async claim(applicationId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(applicationId)) throw new NotFoundError()
    const app = await this.db.application.findUnique({ where: { id: applicationId } })
    if (!app) throw new NotFoundError()
    if (app.status !== 'awaiting_identity_check') throw new RuleViolation('backoffice:errors.notWaiting')
    return app
  }

  async approve(actor: Actor, applicationId: string, now = new Date()): Promise<void> {
    const app = await this.claim(applicationId)
    await this.db.$transaction(async (tx) => {
      const claimed = await tx.application.updateMany({ where: { id: app.id, status: 'awaiting_identity_check' }, data: { status: 'signed' } })
      if (claimed.count !== 1) throw new RuleViolation('backoffice:errors.notWaiting')
      await recordAudit(tx, actor, applicationEntry(app, 'identity_check.approved', { before: { status: app.status } }))
      await issue(tx, app.id, actor, this.config.baseUrl, now)
    })
  }

  async reject(actor: Actor, applicationId: string, reason: string, now = new Date()): Promise<void> {
    const text = reason.trim()
    if (text.length < 5) throw new RuleViolation('backoffice:errors.reasonRequired', 'reason')
    if (text.length > 1000) throw new RuleViolation('backoffice:errors.reasonTooLong', 'reason')
    const app = await this.claim(applicationId)
    await this.db.$transaction(async (tx) => {
      const claimed = await tx.application.updateMany({
        where: { id: app.id, status: 'awaiting_identity_check' },
        data: { status: 'rejected', rejectionReason: text, decidedAt: now },
      })
      if (claimed.count !== 1) throw new RuleViolation('backoffice:errors.notWaiting')
      const item = await tx.applicationItem.findFirst({ where: { applicationId: app.id } })
      const meansId = (item?.details as { meansId?: string } | undefined)?.meansId
      if (app.type === 'new_means' && meansId) await tx.means.updateMany({ where: { id: meansId, status: 'requested' }, data: { status: 'revoked' } })
      await recordAudit(
        tx,
        actor,
        applicationEntry(app, 'identity_check.rejected', { before: { status: app.status }, after: { status: 'rejected', reason: text } }),
      )
    })
  }
}
