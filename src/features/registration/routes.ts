// The public "eHerkenning aanvragen" pages (rule 23): KvK number → company details and the first
// admin → signing by the legal representatives → customer. Rate-limited per address and per KvK
// number; no page says whether an e-mail address has an account, nor who a customer's admins are.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { KvkError, type KvkProfile } from '../../shared/kvk/register.ts'
import { ADMIN_LEVELS } from '../../domain/levels.ts'
import { flash } from '../../web/flash.ts'
import { fromFieldMessages, keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import { parseParams } from '../../policy/params.ts'
import { adminSchema, chosenRepresentatives, kvkSchema, tokenParams } from './schemas.ts'

const KVK_STATUS = { unknown: 404, rateLimited: 503, unavailable: 503, timeout: 504 } as const

export function registrationRoutes({ registrationService, registrationSigning, rateLimits }: Services): Router {
  const router = Router()

  const start = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
    res.status(status).render('pages/registration/start', { title: req.t('registration:start.title'), ...extra })

  const details = (req: Request, res: Response, status: number, profile: KvkProfile, kind: string, extra: Record<string, unknown> = {}) =>
    res.status(status).render('pages/registration/details', { title: req.t('registration:details.title'), profile, kind, levels: ADMIN_LEVELS, ...extra })

  /** True (and the page answered) when this address or KvK number has used up its attempts. */
  async function overLimit(req: Request, res: Response, kvkNumber: string | null, render: (errors: unknown) => void): Promise<boolean> {
    if (!(await rateLimits.consume('registration', { account: kvkNumber, address: req.ip }))) return false
    res.status(429)
    render(fromFieldMessages({ kvkNumber: req.t('registration:errors.tooMany') }))
    return true
  }

  const kvkErrors = (req: Request, error: KvkError) => fromFieldMessages({ kvkNumber: req.t(`registration:kvk.${error.kind}`) })

  router.get(paths.registration.start, allow('anonymous'), (req, res) => start(req, res, 200))

  router.post(paths.registration.start, allow('anonymous'), async (req, res) => {
    const parsed = parseForm(kvkSchema, req.body, req.t)
    const kvkNumber = parsed.ok ? parsed.data.kvkNumber : null
    if (await overLimit(req, res, kvkNumber, (errors) => start(req, res, 429, { errors, values: keepValues(req.body) }))) return
    if (!parsed.ok) return start(req, res, 400, { errors: parsed.errors, values: parsed.values })
    try {
      const found = await registrationService.lookup(parsed.data.kvkNumber)
      if (found.outcome === 'alreadyCustomer' || found.outcome === 'pending') return start(req, res, 200, { outcome: found.outcome, values: parsed.data })
      res.redirect(303, links.registrationDetails({ kvk: parsed.data.kvkNumber }))
    } catch (error) {
      if (!(error instanceof KvkError)) throw error
      start(req, res, KVK_STATUS[error.kind], { errors: kvkErrors(req, error), values: parsed.data })
    }
  })

  /** The details form needs the company as the register has it now; a problem goes back to the start page. */
  async function withCompany(req: Request, res: Response, kvkNumber: string, then: (profile: KvkProfile, kind: string) => unknown) {
    try {
      const found = await registrationService.lookup(kvkNumber)
      if (found.outcome === 'alreadyCustomer' || found.outcome === 'pending') return start(req, res, 200, { outcome: found.outcome, values: { kvkNumber } })
      return then(found.profile, found.outcome)
    } catch (error) {
      if (!(error instanceof KvkError)) throw error
      start(req, res, KVK_STATUS[error.kind], { errors: kvkErrors(req, error), values: { kvkNumber } })
    }
  }

  router.get(paths.registration.details, allow('anonymous'), async (req, res) => {
    const parsed = kvkSchema.safeParse({ kvkNumber: req.query.kvk })
    if (!parsed.success) return res.redirect(303, links.registration())
    // Every look-up asks the register, so the page counts like the form.
    if (await overLimit(req, res, parsed.data.kvkNumber, (errors) => start(req, res, 429, { errors, values: { kvkNumber: parsed.data.kvkNumber } }))) return
    await withCompany(req, res, parsed.data.kvkNumber, (profile, kind) =>
      details(req, res, 200, profile, kind, { values: { kvkNumber: parsed.data.kvkNumber } }),
    )
  })

  router.post(paths.registration.details, allow('anonymous'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const kvk = kvkSchema.safeParse(body)
    if (!kvk.success) return res.redirect(303, links.registration())
    const kvkNumber = kvk.data.kvkNumber
    if (await overLimit(req, res, kvkNumber, (errors) => start(req, res, 429, { errors, values: { kvkNumber } }))) return
    await withCompany(req, res, kvkNumber, async (profile, kind) => {
      const values = keepValues(body)
      const parsed = parseForm(adminSchema, body, req.t)
      const reps = chosenRepresentatives(body, profile.officers.length)
      const repErrors = Object.fromEntries(Object.entries(reps.errors).map(([k, v]) => [k, req.t(v)]))
      if (!parsed.ok || Object.keys(repErrors).length > 0) {
        const errors = parsed.ok ? fromFieldMessages(repErrors) : mergeErrors(parsed.errors, fromFieldMessages(repErrors))
        return details(req, res, 400, profile, kind, { errors, values })
      }
      try {
        await registrationService.create(parsed.data, reps.chosen, actorFrom(req))
      } catch (error) {
        if (error instanceof KvkError) return start(req, res, KVK_STATUS[error.kind], { errors: kvkErrors(req, error), values: { kvkNumber } })
        if (!(error instanceof RuleViolation)) throw error
        return details(req, res, 422, profile, kind, { errors: ruleErrors(error, req.t), values })
      }
      res.redirect(303, links.registrationSent())
    })
  })

  router.get(paths.registration.sent, allow('anonymous'), (req, res) => {
    res.render('pages/registration/sent', { title: req.t('registration:sent.title') })
  })

  const signProblem = (req: Request, res: Response, problem: string) =>
    res.status(problem === 'invalid' ? 404 : 410).render('pages/registration/problem', { title: req.t(`registration:problem.${problem}.title`), problem })

  router.get(paths.registration.sign, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    const page = await registrationSigning.open(token)
    if (!page.ok) return signProblem(req, res, page.problem)
    res.render('pages/registration/sign', {
      title: req.t('registration:sign.title'),
      token,
      registration: page.registration,
      representative: page.representative,
    })
  })

  router.post(paths.registration.sign, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    const page = await registrationSigning.open(token)
    if (!page.ok) return signProblem(req, res, page.problem)
    const again = (status: number, message: string) =>
      res.status(status).render('pages/registration/sign', {
        title: req.t('registration:sign.title'),
        token,
        registration: page.registration,
        representative: page.representative,
        problem: message,
      })
    try {
      const result = await registrationSigning.sign(token, actorFrom(req))
      if (!result.ok) return signProblem(req, res, result.problem)
      res.render('pages/registration/signed', { title: req.t('registration:signed.title'), completed: result.completed, registration: page.registration })
    } catch (error) {
      if (error instanceof KvkError) return again(KVK_STATUS[error.kind] === 404 ? 503 : KVK_STATUS[error.kind], req.t(`registration:kvk.${error.kind}`))
      if (!(error instanceof RuleViolation)) throw error
      again(422, req.t(error.messageKey))
    }
  })

  router.get(paths.registration.manage, allow('anonymous'), async (req, res) => {
    const { token } = parseParams(tokenParams, req.params)
    const registration = await registrationService.manage(token)
    if (!registration) return signProblem(req, res, 'invalid')
    res.render('pages/registration/manage', { title: req.t('registration:manage.title'), token, registration })
  })

  for (const [path, action] of [
    [paths.registration.resend, 'resend'],
    [paths.registration.cancel, 'cancel'],
  ] as const) {
    router.post(path, allow('anonymous'), async (req, res) => {
      const { token } = parseParams(tokenParams, req.params)
      if (await rateLimits.consume('registration', { address: req.ip })) flash(req, 'error', req.t('registration:errors.tooMany'))
      else {
        try {
          await registrationService[action](token, actorFrom(req))
          flash(req, 'success', req.t(`registration:manage.${action}Done`))
        } catch (error) {
          if (!(error instanceof RuleViolation)) throw error
          flash(req, 'error', req.t(error.messageKey))
        }
      }
      res.redirect(303, links.registrationManage(token))
    })
  }

  return router
}

function mergeErrors(a: ReturnType<typeof fromFieldMessages>, b: ReturnType<typeof fromFieldMessages>) {
  return { summary: [...a.summary, ...b.summary], fields: { ...a.fields, ...b.fields } }
}
