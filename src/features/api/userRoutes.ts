// /api/v1/users: the Gebruikers list (filters, keyset cursor) and one user, through UsersService.
import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { apiCaller, requireScope } from '../../web/apiAuth.ts'
import { idOf, parseInput } from './parse.ts'
import { userJson } from './present.ts'
import { UserListQuery } from './schemas.ts'

export function userApiRoutes({ usersService }: Services): Router {
  const router = Router()
  const read = requireScope('users:read')

  router.get(paths.api.users, allow('anonymous'), read, async (req, res) => {
    const q = parseInput(UserListQuery, req.query, req)
    const page = await usersService.list(apiCaller(req).principal, { organisationId: q.organisationId, level: q.level, q: q.q }, q.cursor)
    res.json({ data: page.rows.map(userJson), next: page.next })
  })

  router.get(paths.api.user, allow('anonymous'), read, async (req, res) => {
    const { user } = await usersService.detail(apiCaller(req).principal, idOf(req))
    res.json({
      id: user.id,
      firstName: user.firstName,
      lastNamePrefix: user.lastNamePrefix,
      lastName: user.lastName,
      email: user.email,
      organisations: user.links.map((l) => ({ id: l.organisation.id, name: l.organisation.name })),
      means: user.means.map((m) => ({ id: m.id, level: m.level, status: m.status, validUntil: isoDate(m.validUntil) })),
    })
  })

  return router
}
