// The legal representative's signing link: no login, only for what it names.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { levelLabel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import type { ApplicationsService } from './applicationsService.ts'

async function showSigningLink(service: ApplicationsService, req: Request, res: Response) {
  const found = await service.describeSigningLink(String(req.params.token))
  res.status(found.ok ? 200 : 410).render('pages/applications/sign', {
    title: req.t('applications:sign.title'),
    found,
    token: String(req.params.token),
    fullName: personName,
    levelLabel,
    done: null,
  })
}

async function postSigningLink(service: ApplicationsService, req: Request, res: Response) {
  const result = await service.signByLink(String(req.params.token), actorFrom(req))
  res.status(result.ok ? 200 : 410).render('pages/applications/sign', {
    title: req.t('applications:sign.title'),
    found: result.ok ? { ok: false, problem: null } : result,
    done: result.ok ? result.status : null,
    token: '',
    fullName: personName,
    levelLabel,
  })
}

export function signRoutes(service: ApplicationsService): Router {
  const router = Router()
  router.get(paths.signApplication, allow('anonymous'), (req, res) => showSigningLink(service, req, res))
  router.post(paths.signApplication, allow('anonymous'), (req, res) => postSigningLink(service, req, res))
  return router
}
