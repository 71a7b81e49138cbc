// E-mail addresses and mobile numbers as the portal accepts them (rule 13's form, imports, Mijn gegevens).
import { parseIsoDate } from './dates.ts'

export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

/** A Dutch mobile number, normalised to +316… form; null when it is not one. */
export function normaliseMobile(value: string): string | null {
  const v = value.replace(/[\s().-]/g, '')
  if (/^06\d{8}$/.test(v)) return `+316${v.slice(2)}`
  if (/^\+316\d{8}$/.test(v)) return v
  if (/^00316\d{8}$/.test(v)) return `+${v.slice(2)}`
  return null
}

/** YYYY-MM-DD (date field) or DD-MM-YYYY / DD/MM/YYYY (as typed in a spreadsheet). */
export function parseDateOfBirth(value: string): Date | null {
  const v = value.trim()
  const dutch = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(v)
  if (dutch) return parseIsoDate(`${dutch[3]}-${dutch[2]!.padStart(2, '0')}-${dutch[1]!.padStart(2, '0')}`)
  return parseIsoDate(v)
}
