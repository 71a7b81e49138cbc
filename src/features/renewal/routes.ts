// /verlengen/<token>: the renewal link from an expiry notice (see renewalService.ts).
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { RuleViolation } from '../../errors.ts'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { parseForm, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { RenewalLinkError, TERMS, type RenewalPage } from './renewalService.ts'

const renewSchema = z.object({
  termYears: z.enum(['1', '3', '5'], { message: 'renewal:errors.term' }).transform((v) => Number(v) as 1 | 3 | 5),
})

export function renewalRoutes({ renewalService, mailWorker }: Services): Router {
  const router = Router()

  const linkProblem = (req: Request, res: Response, error: RenewalLinkError) => {
    res.status(error.status).render('pages/renewal/problem', {
      title: req.t(`renewal:problem.${error.problem}.title`),
      problem: error.problem,
    })
  }

  const show = (req: Request, res: Response, page: RenewalPage, extra: Record<string, unknown> = {}) => {
    res.render('pages/renewal/form', {
      title: req.t('renewal:title'),
      page,
      token: req.params.token,
      terms: TERMS,
      ...extra,
    })
  }

  router.get(paths.renewalToken, allow('anonymous'), async (req, res) => {
    try {
      show(req, res, await renewalService.open(req.params.token, req.user ?? null))
    } catch (error) {
      if (error instanceof RenewalLinkError) return linkProblem(req, res, error)
      throw error
    }
  })

  router.post(paths.renewalToken, allow('anonymous'), async (req, res) => {
    let page: RenewalPage
    try {
      page = await renewalService.open(req.params.token, req.user ?? null)
    } catch (error) {
      if (error instanceof RenewalLinkError) return linkProblem(req, res, error)
      throw error
    }
    const parsed = parseForm(renewSchema, req.body, req.t, ['termYears'])
    if (!parsed.ok) {
      res.status(400)
      return show(req, res, page, { errors: parsed.errors, values: parsed.values })
    }
    try {
      const result = await renewalService.renew(req.params.token, parsed.data.termYears, actorFrom(req))
      await mailWorker.wake()
      res.render('pages/renewal/done', { title: req.t(`renewal:done.${result.outcome}.title`), result })
    } catch (error) {
      if (error instanceof RenewalLinkError) return linkProblem(req, res, error)
      if (error instanceof RuleViolation) {
        res.status(422)
        return show(req, res, page, {
          errors: ruleErrors(error, req.t, ['termYears']),
          values: parsed.data ? { termYears: String(parsed.data.termYears) } : {},
        })
      }
      throw error
    }
  })
  return router
}
