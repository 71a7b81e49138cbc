// Service results as the API's JSON (dates as YYYY-MM-DD).
import { isoDate } from '../../domain/dates.ts'
import type { Services } from '../../services.ts'

type MandateRow = Awaited<ReturnType<Services['mandateListService']['list']>>['rows'][number]
type UserRow = Awaited<ReturnType<Services['usersService']['list']>>['rows'][number]

export function mandateJson(m: MandateRow) {
  return {
    id: m.id,
    userId: m.userId,
    userName: m.userName,
    userEmail: m.userEmail,
    organisationId: m.organisationId,
    organisationName: m.organisationName,
    scope: m.scope,
    serviceName: m.serviceName,
    providerName: m.providerName,
    level: m.level,
    branchName: m.branchName,
    validFrom: isoDate(m.validFrom),
    validUntil: isoDate(m.validUntil),
    status: m.status,
  }
}

export function userJson(u: UserRow) {
  return {
    id: u.id,
    firstName: u.firstName,
    lastNamePrefix: u.lastNamePrefix,
    lastName: u.lastName,
    email: u.email,
    level: u.level,
    meansStatus: u.meansStatus,
    meansValidUntil: u.meansValidUntil ? isoDate(u.meansValidUntil) : null,
    mandates: u.mandates,
    organisations: u.organisations,
  }
}
