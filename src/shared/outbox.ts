// The outbox: an e-mail is a row written in the same transaction as the change that causes it.
// The mail worker (src/features/mail/worker.ts) renders and delivers the rows.
import { Prisma } from '../generated/prisma/client.ts'
import type { Tx } from '../db/tx.ts'
import { personName, type PersonNameParts } from '../domain/names.ts'

/** One template per kind of mail (views/mail/<template>.{html,text}.ejs). */
export type MailTemplate =
  | 'means-active'
  | 'legal-representative-notification'
  | 'signing-request'
  | 'link-request'
  | 'expiry-notice'
  | 'expiry-digest'
  | 'renewal-done'
  | 'mandate-revoked'
  | 'mandates-granted'
  | 'email-change'
  | 'password-reset'
  | 'chain-given'
  | 'chain-revoked'
  | 'chain-renewed'
  | 'chain-status'
  | 'means-changed'
  | 'mandate-status'
  | 'chain-expiry-notice'
  | 'account-activation'
  | 'registration-signing'
  | 'registration-status'
  | 'registration-done'
  | 'offboarded'
  | 'mandates-changed'

export type QueuedMail = {
  /** Unique per message: the same key twice is one mail (it becomes the Message-ID). */
  idempotencyKey: string
  to: string
  template: MailTemplate
  /** 'nl' or 'en'; anything else is sent in Dutch. A person with an account gets their own mail language instead. */
  locale?: string
  data: Record<string, unknown>
}

export async function queueMail(tx: Tx, mail: QueuedMail): Promise<void> {
  await queueMails(tx, [mail])
}

/** A person a mail goes to: the address, the language and the name (`personName`) it is written with. */
export type MailPerson = PersonNameParts & { email: string; locale: string }

/** Queues a mail to a person: to the person's address, in the person's language, `name` first in its data. */
export async function queueMailToPerson(tx: Tx, person: MailPerson, mail: Omit<QueuedMail, 'to' | 'locale'>): Promise<void> {
  await queueMail(tx, { ...mail, to: person.email, locale: person.locale, data: { name: personName(person), ...mail.data } })
}

/** Queues many at once; a key already queued is skipped, never sent twice. */
export async function queueMails(tx: Tx, mails: QueuedMail[]): Promise<number> {
  if (mails.length === 0) return 0
  // One INSERT … SELECT from a JSON parameter, whatever the batch size (bulk renewal queues thousands).
  // A mail to the address of a person with an account is written in that person's mail language
  // (users.locale, set on Mijn gegevens or by an admin), whatever language the caller passed.
  const rows = mails.map((mail) => ({
    idempotency_key: mail.idempotencyKey,
    to_address: mail.to,
    template: mail.template,
    locale: mail.locale === 'en' ? 'en' : 'nl',
    data: mail.data,
  }))
  const count = await tx.$executeRaw`
    insert into outgoing_mail (id, idempotency_key, to_address, template, locale, data)
    select gen_random_uuid(), x.idempotency_key, x.to_address, x.template, coalesce(u.locale, x.locale), x.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(idempotency_key varchar, to_address varchar, template varchar, locale varchar, data jsonb)
    left join users u on u.email_key = lower(x.to_address)
    on conflict (idempotency_key) do nothing`
  // Wakes the mail worker once the transaction commits (NOTIFY is delivered at commit, dropped on rollback).
  if (count > 0) await wakeMailWorker(tx)
  return count
}

/** Wakes the mail worker once the transaction commits (NOTIFY is delivered at commit, dropped on rollback). */
export async function wakeMailWorker(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe('NOTIFY outgoing_mail')
}

/** The outbox's columns, in the order the set-based inserts select them, and what a key already queued does. */
const OUTBOX_INSERT = 'INSERT INTO outgoing_mail (id, idempotency_key, to_address, template, locale, data)'
const OUTBOX_CONFLICT = 'ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key'

/** SQL expressions for each column of a set-based queue insert (see `queueMailsFrom`). */
export type OutboxColumnsSql = { idempotencyKey: string; to: string; template: string; locale: string; data: string }

/**
 * The set-based variant, for scans that queue thousands of mails in one statement (the expiry
 * notices): the `INSERT INTO outgoing_mail … SELECT … FROM <source> ON CONFLICT DO NOTHING RETURNING
 * idempotency_key` to embed as a step of a data-modifying WITH. A key already queued is skipped, as
 * in `queueMails`; call `wakeMailWorker` after the statement when it queued any.
 */
export function queueMailsFrom(source: string, columns: OutboxColumnsSql): string {
  const c = columns
  return `${OUTBOX_INSERT}
  SELECT gen_random_uuid(), ${c.idempotencyKey}, ${c.to}, ${c.template}, ${c.locale}, ${c.data}
  FROM ${source}
  ${OUTBOX_CONFLICT}`
}

/** `queueMailsFrom` for a statement built with Prisma.sql (bulk renew, revoke and suspend): the columns as SQL over `source`'s. */
export function queueMailsSql(
  source: Prisma.Sql,
  columns: { idempotencyKey: Prisma.Sql; to: Prisma.Sql; template: MailTemplate; locale: Prisma.Sql; data: Prisma.Sql },
): Prisma.Sql {
  const c = columns
  return Prisma.sql`${Prisma.raw(OUTBOX_INSERT)}
  select gen_random_uuid(), ${c.idempotencyKey}, ${c.to}, ${c.template}::text, ${c.locale}, ${c.data}
  from ${source}
  ${Prisma.raw(OUTBOX_CONFLICT)}`
}
