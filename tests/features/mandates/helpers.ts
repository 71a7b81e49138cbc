// Shared look-ups of demo data for the Machtigingen tests.
import type { PrismaClient } from '../../../src/generated/prisma/client.ts'
import type { Actor } from '../../../src/shared/actor.ts'
import { AuthService } from '../../../src/features/auth/authService.ts'

export async function demo(db: PrismaClient) {
  const org = async (name: string) => (await db.organisation.findFirstOrThrow({ where: { name } })).id
  const user = async (email: string) => (await db.user.findFirstOrThrow({ where: { email } })).id
  const service = async (name: string) => (await db.service.findFirstOrThrow({ where: { name } })).id
  const provider = async (name: string) => (await db.serviceProvider.findFirstOrThrow({ where: { name } })).id
  return {
    bakkerij: await org('Bakkerij De Vries B.V.'),
    holding: await org('De Vries Holding B.V.'),
    bakker: await org('Bakker Installatietechniek B.V.'),
    sanne: await user('sanne.devries@demo.example'),
    pieter: await user('pieter.bakker@demo.example'),
    jan: await user('jan.smit@demo.example'),
    fatma: await user('fatma.yilmaz@demo.example'),
    ingrid: await user('ingrid.mulder@demo.example'),
    mark: await user('mark.visser@demo.example'),
    ahmed: await user('ahmed.bouzid@demo.example'),
    linda: await user('linda.degroot@demo.example'),
    ruud: await user('ruud.peters@demo.example'),
    service,
    provider,
  }
}

export async function actorFor(db: PrismaClient, userId: string): Promise<Actor> {
  const principal = await new AuthService(db).loadPrincipal(userId)
  if (!principal) throw new Error('no principal')
  return { principal, label: principal.email, ipAddress: '127.0.0.1', requestId: 'test', locale: 'nl' }
}

/** One mandate by holder, organisation and service name (or scope 'all'). */
export async function mandateOf(db: PrismaClient, userId: string, organisationId: string, serviceName: string | null, status?: string) {
  return db.mandate.findFirstOrThrow({
    where: {
      userId,
      organisationId,
      kind: 'use',
      ...(serviceName ? { service: { name: serviceName } } : { scope: 'all' }),
      ...(status ? { status: status as never } : {}),
    },
  })
}

export function yearsFromToday(years: number, days = 0): Date {
  const now = new Date()
  const d = new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate()))
  return new Date(d.getTime() + days * 86_400_000)
}
