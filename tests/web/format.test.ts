// Dates as the portal prints them (src/web/format.ts): Europe/Amsterdam, summer and winter time,
// Dutch and English day order, date-only values keeping their day.
import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, intlPartsOf, isoDateTimeAmsterdam } from '../../src/web/format.ts'

describe('format', () => {
  it('When a moment is printed, then it is in Amsterdam time, in winter and in summer, in both languages', () => {
    const winter = new Date('2026-01-15T23:30:00Z')
    const summer = new Date('2026-07-01T08:05:00Z')
    expect(formatDateTime(winter)).toBe('16-01-2026 00:30')
    expect(formatDateTime(winter, 'en')).toBe('16/01/2026 00:30')
    expect(formatDateTime(summer)).toBe('01-07-2026 10:05')
    expect(isoDateTimeAmsterdam(summer)).toBe('2026-07-01T10:05:00+02:00')
    expect(formatDateTime(null)).toBe('')
  })

  it('When a date-only value is printed, then it keeps its day; nonsense prints nothing', () => {
    expect(formatDate('2027-03-31')).toBe('31-03-2027')
    expect(formatDate(new Date('2027-03-31T00:00:00Z'), 'en')).toBe('31/03/2027')
    expect(formatDate('not a date')).toBe('')
  })

  it('When moments around every change of summer time and across the years are printed, then they equal what Intl gives', () => {
    const viaIntl = (date: Date) => {
      const p = intlPartsOf(date)
      const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00'
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`
    }
    const moments: Date[] = []
    // Every 7 minutes through the days of the changes in 2026 and 2027 (01:00 UTC, last Sundays of March and October).
    for (const day of ['2026-03-28', '2026-10-24', '2027-03-27', '2027-10-30']) {
      const start = Date.parse(`${day}T00:00:00Z`)
      for (let t = start; t < start + 3 * 86_400_000; t += 7 * 60_000 + 13_000) moments.push(new Date(t))
    }
    // And moments spread over 1900–2100 (before 1937 Amsterdam kept its own mean time: +00:19:32).
    for (let i = 0; i < 5000; i++)
      moments.push(new Date(Date.UTC(1900, 0, 1) + Math.floor((((i * 7919) % 5000) / 5000) * 200 * 365.25 * 86_400_000) + i * 1000))
    for (const date of moments) {
      expect(isoDateTimeAmsterdam(date), date.toISOString()).toBe(viaIntl(date))
      expect(isoDateTimeAmsterdam(date), date.toISOString()).toBe(viaIntl(date)) // the hour's offset remembered
      const p = intlPartsOf(date)
      expect(formatDateTime(date, 'nl')).toBe(`${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}`)
      expect(formatDate(date, 'en')).toBe(`${p.day}/${p.month}/${p.year}`)
    }
  })
})
