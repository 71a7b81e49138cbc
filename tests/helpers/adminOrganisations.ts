// An accountant for the tests: `count` new organisations ("<prefix> 01 B.V." …, KvK numbers
// firstKvk + 1 …), each with an active EH3 admin mandate of the person with this e-mail address.
import { addYears, todayUtc } from '../../src/domain/dates.ts'
import type { Db } from '../../src/db/tx.ts'

export async function giveAdminOrganisations(db: Db, email: string, options: { count: number; prefix: string; firstKvk: number }): Promise<void> {
  const admin = await db.user.findFirstOrThrow({ where: { emailKey: email } })
  for (let i = 1; i <= options.count; i++) {
    const org = await db.organisation.create({
      data: { kvkNumber: String(options.firstKvk + i), name: `${options.prefix} ${String(i).padStart(2, '0')} B.V.` },
    })
    await db.mandate.create({
      data: {
        kind: 'admin',
        userId: admin.id,
        organisationId: org.id,
        scope: 'all',
        level: 'EH3',
        validFrom: todayUtc(),
        validUntil: addYears(todayUtc(), 1),
        status: 'active',
      },
    })
  }
}
