// Terms (rule 4) and the other fixed periods of the domain.

/** A mandate or means runs 1, 3 or 5 years. */
export const TERMS = [1, 3, 5] as const
export type Term = (typeof TERMS)[number]

/** No mandate or means runs longer than this from its start (rule 4). */
export const MAX_TERM_YEARS = 5

/** A link request (verzoek) lapses after this many months (rule 8). */
export const LINK_REQUEST_MONTHS = 3

/** Expiry notices: two months ahead, reminders one month and one week ahead (rule 15). */
export const EXPIRY_NOTICE_MONTHS = 2

export function isTerm(value: number): value is Term {
  return (TERMS as readonly number[]).includes(value)
}

/** Adds whole years the way PostgreSQL does (29 Feb + 1 year = 28 Feb), so the database's term check agrees. */
export function addYearsClamped(date: Date, years: number): Date {
  const y = date.getUTCFullYear() + years
  const m = date.getUTCMonth()
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)))
}

/** Rule 4: renewing extends from the current end date, or from today when it has already expired. */
export function renewalBase(validUntil: Date, today: Date): Date {
  return validUntil < today ? today : validUntil
}

/** Rule 4: the last end date a renewal may reach, counted from today. */
export function latestEnd(today: Date): Date {
  return addYearsClamped(today, MAX_TERM_YEARS)
}

/** Rule 4: the terms a renewal of something ending `validUntil` may take today. */
export function renewableTerms(validUntil: Date, today: Date): Term[] {
  const base = renewalBase(validUntil, today)
  return TERMS.filter((years) => addYearsClamped(base, years) <= latestEnd(today))
}

/**
 * Rule 4 as a choice list: every term with its new end and whether it may be chosen today. The
 * renew and activate pages and the mail's renewal page all offer exactly the allowed ones.
 */
export function termChoices(validUntil: Date, today: Date): { years: Term; until: Date; allowed: boolean }[] {
  const base = renewalBase(validUntil, today)
  const allowed = renewableTerms(validUntil, today)
  return TERMS.map((years) => ({ years, until: addYearsClamped(base, years), allowed: allowed.includes(years) }))
}
