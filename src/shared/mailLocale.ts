// The mail language of a person (users.locale, 'nl' or 'en'): every mail to them is written in it
// (src/shared/outbox.ts looks it up by address when a mail is queued). The person sets it on Mijn
// gegevens, an admin on the user page; either change is audited.
import type { Db } from '../db/tx.ts'
import { isLocale, type Locale } from '../i18n/index.ts'
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
