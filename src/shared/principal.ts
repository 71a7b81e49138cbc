import type { Level } from '../generated/prisma/client.ts'

export type AdminOrganisation = { id: string; name: string; kvkNumber: string; level: Level }

/** The logged-in person as every request sees it; loaded fresh for each request. */
export type Principal = {
  id: string
  email: string
  name: string
  role: 'user' | 'backoffice'
  locale: string
  adminOrganisations: AdminOrganisation[]
}
