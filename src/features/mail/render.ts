// Renders an outbox row to subject, plain text and HTML at send time, from the row's `data`.
// Templates: views/mail/<template>.text.ejs and .html.ejs (the HTML one is wrapped in
// views/mail/_layout.html.ejs); subjects and texts from the `mail` catalogue in the row's locale.
// Links in `data` are paths made with `links` from src/paths.ts (`renewPath: links.renewal(token)`); templates
// make them absolute with url(), and get `links` themselves for the fixed ones (`url(links.overview())`).
import path from 'node:path'
import ejs from 'ejs'
import { translator, type Locale } from '../../i18n/index.ts'
import { formatDate, toText } from '../../web/format.ts'
import { links } from '../../paths.ts'
import { viewsDir } from '../../web/views.ts'
import type { MailTemplate } from '../../shared/outbox.ts'
import { fromDbLevel, levelLabel } from '../../domain/levels.ts'

export const MAIL_TEMPLATES: readonly MailTemplate[] = [
  'means-active',
  'legal-representative-notification',
  'signing-request',
  'link-request',
  'expiry-notice',
  'expiry-digest',
  'renewal-done',
  'mandate-revoked',
  'mandates-granted',
  'email-change',
  'password-reset',
  'chain-given',
  'chain-revoked',
  'chain-renewed',
  'chain-status',
  'means-changed',
  'mandate-status',
  'chain-expiry-notice',
  'account-activation',
  'registration-signing',
  'registration-status',
  'registration-done',
  'offboarded',
  'mandates-changed',
]

export type RenderedMail = { subject: string; text: string; html: string }

export type MailContext = { brandName: string; baseUrl: string; cache?: boolean }

const mailDir = path.join(viewsDir, 'mail')

export function isMailTemplate(value: string): value is MailTemplate {
  return (MAIL_TEMPLATES as readonly string[]).includes(value)
}

export async function renderMail(template: string, localeValue: string, data: Record<string, unknown>, context: MailContext): Promise<RenderedMail> {
  if (!isMailTemplate(template)) throw new Error(`unknown mail template ${template}`)
  const locale: Locale = localeValue === 'en' ? 'en' : 'nl'
  const t = translator(locale)
  const url = (value: unknown) => {
    const text = toText(value)
    if (/^https?:\/\//.test(text)) return text
    return `${context.baseUrl}${text.startsWith('/') ? '' : '/'}${text}`
  }
  const locals = {
    t,
    locale,
    data,
    brandName: context.brandName,
    baseUrl: context.baseUrl,
    url,
    links,
    date: (value: unknown) => formatDate(typeof value === 'string' || value instanceof Date ? value : null, locale),
    /** "over 10 dagen", "over ongeveer een maand": from today (the day the mail is written) to `value`. */
    relative: (value: unknown) => relativeFromToday(t, typeof value === 'string' || value instanceof Date ? new Date(value) : null),
    level: (value: unknown) => (typeof value === 'string' && value ? levelLabel(fromDbLevel(value)) : ''),
    /** A mandate's scope from { scope, serviceName?, providerName? }. */
    scope: (item: { scope?: unknown; serviceName?: unknown; providerName?: unknown }) =>
      item.scope === 'all'
        ? t('mail:scope.all')
        : item.scope === 'provider'
          ? t('mail:scope.provider', { name: toText(item.providerName) })
          : toText(item.serviceName),
  }
  const options = { cache: context.cache ?? false, root: mailDir, views: [mailDir] }
  const subjectParams = {
    ...data,
    brand: context.brandName,
    kindLabel: data.kind ? t(`mail:kind.${toText(data.kind)}`) : '',
    date: locals.date(data.validUntil),
  }
  const subject = t(`mail:${template}.subject`, subjectParams).replace(/\s+/g, ' ').trim()
  const text = await ejs.renderFile(path.join(mailDir, `${template}.text.ejs`), { ...locals, subject }, { ...options, escape: (s: unknown) => toText(s) })
  const content = await ejs.renderFile(path.join(mailDir, `${template}.html.ejs`), { ...locals, subject }, options)
  const html = await ejs.renderFile(path.join(mailDir, '_layout.html.ejs'), { ...locals, subject, content }, options)
  return { subject, text: tidyText(text), html }
}

/** How far off a date is, in words, counted in days from today (Europe/Amsterdam calendar day of the mail). */
export function relativeFromToday(t: ReturnType<typeof translator>, until: Date | null, now = new Date()): string {
  if (!until || Number.isNaN(until.getTime())) return ''
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const days = Math.round((Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate()) - today) / 86_400_000)
  if (days <= 0) return t('mail:relative.today')
  if (days < 28) return t('mail:relative.days', { count: days })
  if (days <= 45) return t('mail:relative.month')
  return t('mail:relative.months', { count: Math.round(days / 30) })
}

/** EJS leaves blank lines where tags were: at most one empty line in a row, no trailing spaces. */
function tidyText(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.replace(/\s+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  )
}
