// The mail language of a person (users.locale, 'nl' or 'en'): every mail to them is written in it
// (src/shared/outbox.ts looks it up by address when a mail is queued). The person sets it on Mijn
// gegevens, an admin on the user page; a legal representative's (legal_representatives.locale, used
// for the signing mails) the back office sets on the customer page. Every change is audited.
import type { Db } from '../db/tx.ts'
import { isLocale, type Locale } from '../i18n/index.ts'
import { NotFoundError } from '../errors.ts'
import type { Actor } from './actor.ts'
import { recordAudit } from './audit.ts'

/** 'nl' or 'en' from a form value; anything else is null (the form says so at the field). */
export function parseMailLocale(value: unknown): Locale | null {
  return isLocale(value) ? value : null
}

/** Stores the person's mail language; false when it was that already (nothing changed, nothing audited). */
export async function setMailLocale(db: Db, actor: Actor, userId: string, locale: Locale): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { locale: true } })
    if (before.locale === locale) return false
    await tx.user.update({ where: { id: userId }, data: { locale } })
    await recordAudit(tx, actor, { action: 'user.mail_locale_changed', subjectType: 'user', subjectId: userId, before, after: { locale } })
    return true
  })
}

/** The back office sets a legal representative's mail language; 404 when the representative is not the organisation's. */
export async function setRepresentativeMailLocale(db: Db, actor: Actor, organisationId: string, representativeId: string, locale: Locale): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rep = await tx.legalRepresentative.findFirst({ where: { id: representativeId, organisationId }, select: { name: true, locale: true } })
    if (!rep) throw new NotFoundError()
    if (rep.locale === locale) return false
    await tx.legalRepresentative.update({ where: { id: representativeId }, data: { locale } })
    const change = { before: { representative: rep.name, locale: rep.locale }, after: { locale } }
    const action = 'organisation.representative_mail_locale_changed'
    await recordAudit(tx, actor, { action, organisationId, subjectType: 'organisation', subjectId: organisationId, ...change })
    return true
  })
}
