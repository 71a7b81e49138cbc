// The development mailbox (/dev/mailbox, not in production) and the back office view of the
// outbox (/backoffice/mail).
import { Router, type Request } from 'express'
import { z } from 'zod'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { allow, isBackoffice } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { flash } from '../../web/flash.ts'
import { actorFrom } from '../../shared/actor.ts'
import { MAIL_STATUSES } from './mailService.ts'

const idSchema = z.uuid()
const listQuery = z.object({
  status: z.enum(MAIL_STATUSES).optional().catch(undefined),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/)
    .optional()
    .catch(undefined),
})

function cursorFrom(value: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!value) return undefined
  const [at, id] = value.split('_')
  const createdAt = new Date(at ?? '')
  return Number.isNaN(createdAt.getTime()) || !id ? undefined : { createdAt, id }
}

function idFrom(req: Request): string {
  const parsed = idSchema.safeParse(req.params.id)
  if (!parsed.success) throw new NotFoundError()
  return parsed.data
}

/**
 * True for a request whose TCP peer is this machine (127.0.0.0/8, ::1) and that names no forwarder:
 * a reverse proxy on the same host connects from loopback too, but adds a Forwarded or
 * X-Forwarded-For header. The socket's address, never `req.ip` (which trusts those headers).
 */
export function fromLoopback(req: Request): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false
  const address = req.socket.remoteAddress ?? ''
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address)
}

export function mailRoutes({ mailService, config }: Services): Router {
  const router = Router()
  // The development mailbox holds every mail's links (password resets, signing links): it does not
  // exist in production, and elsewhere it answers only a request from this machine itself (the
  // socket's loopback address, not through a proxy) or a logged-in back-office user.
  const devOnly = (req: Request) => {
    if (config.production) throw new NotFoundError()
    if (!isBackoffice(req.user) && !fromLoopback(req)) throw new NotFoundError()
  }

  router.get(paths.devMailbox, allow('anonymous'), async (req, res) => {
    devOnly(req)
    const { rows } = await mailService.list()
    res.render('pages/mail/dev-mailbox', { title: req.t('mail:devMailbox.title'), rows })
  })

  router.get(paths.devMail, allow('anonymous'), async (req, res) => {
    devOnly(req)
    const mail = await mailService.get(idFrom(req))
    res.render('pages/mail/dev-mail', {
      title: mail.subject ?? req.t('mail:devMailbox.title'),
      mail,
      breadcrumbs: [{ label: req.t('mail:devMailbox.title'), href: paths.devMailbox }],
    })
  })

  /** The mail's own HTML, as a mail client would show it (its inline styles allowed, nothing else). */
  router.get(paths.devMailHtml, allow('anonymous'), async (req, res) => {
    devOnly(req)
    const mail = await mailService.get(idFrom(req))
    if (!mail.htmlBody) throw new NotFoundError()
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'")
    res.type('html').send(mail.htmlBody)
  })

  router.get(paths.backofficeMail, allow('backoffice'), async (req, res) => {
    const query = listQuery.parse(req.query)
    const [{ rows, next }, counts] = await Promise.all([mailService.list({ status: query.status, before: cursorFrom(query.before) }), mailService.counts()])
    res.render('pages/mail/backoffice', {
      title: req.t('mail:backoffice.title'),
      section: 'backoffice',
      subsection: 'outbox',
      rows,
      counts,
      status: query.status ?? '',
      statuses: MAIL_STATUSES,
      pagination: {
        firstHref: query.before ? links.backofficeMail({ status: query.status }) : undefined,
        nextHref: next ? links.backofficeMail({ status: query.status, before: `${next.createdAt.toISOString()}_${next.id}` }) : undefined,
      },
      breadcrumbs: [{ label: req.t('common:nav.backoffice'), href: links.backoffice() }],
    })
  })

  router.post(paths.backofficeMailResend, allow('backoffice'), async (req, res) => {
    const id = idFrom(req)
    try {
      const { toAddress } = await mailService.retry(id, actorFrom(req))
      flash(req, 'success', req.t('mail:backoffice.retried', { to: toAddress }))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey))
    }
    res.redirect(303, links.backofficeMail({ status: 'failed' }))
  })

  return router
}
