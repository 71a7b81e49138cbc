// Dates as the portal prints them (src/web/format.ts): Europe/Amsterdam, summer and winter time,
// Dutch and English day order, date-only values keeping their day.
import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, isoDateTimeAmsterdam } from '../../src/web/format.ts'

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
})
