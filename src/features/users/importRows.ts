// Rows of "Gebruikers toevoegen": decoding an uploaded CSV and checking each row. Pure functions;
// the database checks (e-mail in use) and the commit live in importService.ts.
import { parse } from 'csv-parse/sync'
import type { Level } from '../../generated/prisma/client.ts'
import { addYears, isoDate, todayUtc } from '../../domain/dates.ts'
import { EMAIL_PATTERN, normaliseMobile, parseDateOfBirth } from '../../domain/contact.ts'
import type { AdminOrganisation } from '../../shared/principal.ts'
import { levelLabel, parseLevel } from '../../domain/levels.ts'
import { withinAdminLevel } from '../../domain/rules.ts'

export const MAX_ROWS = 5000
export const MAX_FORM_ROWS = 25
export const MIN_AGE = 16
export const CSV_HEADER = [
  'voornaam',
  'tussenvoegsel',
  'achternaam',
  'geboortedatum',
  'e-mailadres',
  'mobiel nummer',
  'niveau',
  'looptijd',
  'kvk-nummer',
] as const
export const ROW_FIELDS = ['firstName', 'lastNamePrefix', 'lastName', 'dateOfBirth', 'email', 'mobile', 'level', 'termYears', 'organisation'] as const
export type RowField = (typeof ROW_FIELDS)[number]

export type RawRow = Record<RowField, string>
export type RowError = { key: string; params?: Record<string, unknown> }
export type CheckedRow = {
  /** Line in the file (CSV) or row number (form), for the messages. */
  line: number
  values: RawRow
  errors: Partial<Record<RowField, RowError>>
  valid: boolean
}
export type ValidRow = {
  line: number
  firstName: string
  lastNamePrefix: string | null
  lastName: string
  dateOfBirth: string
  email: string
  mobile: string
  level: Level
  termYears: 1 | 3 | 5
  organisationId: string
  /** SCIM: the provisioning system's id for the person in this organisation (organisation_links.external_id). */
  externalId?: string | null
}

export function emptyRow(): RawRow {
  return { firstName: '', lastNamePrefix: '', lastName: '', dateOfBirth: '', email: '', mobile: '', level: '', termYears: '', organisation: '' }
}

/**
 * Checks every row on its own and against the other rows (duplicate addresses, in any case).
 * `organisationBy` says whether the organisation cell holds an organisation id (form) or a KvK number (CSV).
 */
export function checkRows(
  rows: { line: number; values: RawRow }[],
  organisations: AdminOrganisation[],
  organisationBy: 'id' | 'kvk',
  now = new Date(),
): CheckedRow[] {
  const today = todayUtc(now)
  const latestBirth = addYears(today, -MIN_AGE)
  const seen = new Map<string, number>()
  return rows.map(({ line, values: raw }) => {
    const values = Object.fromEntries(ROW_FIELDS.map((f) => [f, String(raw[f] ?? '').trim()])) as RawRow
    const errors: Partial<Record<RowField, RowError>> = {}
    if (!values.firstName) errors.firstName = { key: 'users:import.errors.firstNameRequired' }
    else if (values.firstName.length > 100) errors.firstName = { key: 'users:import.errors.tooLong', params: { max: 100 } }
    if (values.lastNamePrefix.length > 20) errors.lastNamePrefix = { key: 'users:import.errors.tooLong', params: { max: 20 } }
    if (!values.lastName) errors.lastName = { key: 'users:import.errors.lastNameRequired' }
    else if (values.lastName.length > 100) errors.lastName = { key: 'users:import.errors.tooLong', params: { max: 100 } }

    if (!values.dateOfBirth) errors.dateOfBirth = { key: 'users:import.errors.dateOfBirthRequired' }
    else {
      const dob = parseDateOfBirth(values.dateOfBirth)
      if (!dob || dob.getUTCFullYear() < 1901) errors.dateOfBirth = { key: 'users:import.errors.dateOfBirthInvalid' }
      else if (dob > today) errors.dateOfBirth = { key: 'users:import.errors.dateOfBirthFuture' }
      else if (dob > latestBirth) errors.dateOfBirth = { key: 'users:import.errors.tooYoung', params: { age: MIN_AGE } }
    }

    const emailKey = values.email.toLowerCase()
    if (!values.email) errors.email = { key: 'users:import.errors.emailRequired' }
    else if (values.email.length > 254 || !EMAIL_PATTERN.test(values.email)) errors.email = { key: 'users:import.errors.emailInvalid' }
    else if (seen.has(emailKey)) errors.email = { key: 'users:import.errors.emailDuplicateInList', params: { line: seen.get(emailKey) } }
    else seen.set(emailKey, line)

    if (!values.mobile) errors.mobile = { key: 'users:import.errors.mobileRequired' }
    else if (!normaliseMobile(values.mobile)) errors.mobile = { key: 'users:import.errors.mobileInvalid' }

    let organisation: AdminOrganisation | undefined
    if (!values.organisation)
      errors.organisation = { key: organisationBy === 'kvk' ? 'users:import.errors.kvkRequired' : 'users:import.errors.organisationRequired' }
    else if (organisationBy === 'kvk' && !/^\d{8}$/.test(values.organisation)) errors.organisation = { key: 'users:import.errors.kvkInvalid' }
    else {
      organisation = organisations.find((o) => (organisationBy === 'kvk' ? o.kvkNumber === values.organisation : o.id === values.organisation))
      if (!organisation)
        errors.organisation = {
          key: organisationBy === 'kvk' ? 'users:import.errors.kvkNotAdministered' : 'users:import.errors.organisationRequired',
          params: { kvk: values.organisation },
        }
    }

    const level = values.level ? parseLevel(values.level) : null
    if (!values.level) errors.level = { key: 'users:import.errors.levelRequired' }
    else if (!level) errors.level = { key: 'users:import.errors.levelInvalid' }
    // Rule 2: an admin adds users only at or below his own admin level for that organisation.
    else if (organisation && !withinAdminLevel(organisation.level, level)) {
      errors.level = { key: 'users:import.errors.levelAboveAdmin', params: { level: levelLabel(organisation.level) } }
    }

    if (!values.termYears) errors.termYears = { key: 'users:import.errors.termRequired' }
    else if (!['1', '3', '5'].includes(values.termYears)) errors.termYears = { key: 'users:import.errors.termInvalid' }

    return { line, values, errors, valid: Object.keys(errors).length === 0 }
  })
}

export function toValidRow(row: CheckedRow, organisations: AdminOrganisation[], organisationBy: 'id' | 'kvk'): ValidRow {
  const v = row.values
  const organisation = organisations.find((o) => (organisationBy === 'kvk' ? o.kvkNumber === v.organisation : o.id === v.organisation))!
  return {
    line: row.line,
    firstName: v.firstName,
    lastNamePrefix: v.lastNamePrefix || null,
    lastName: v.lastName,
    dateOfBirth: isoDate(parseDateOfBirth(v.dateOfBirth)!),
    email: v.email,
    mobile: normaliseMobile(v.mobile)!,
    level: parseLevel(v.level)!,
    termYears: Number(v.termYears) as 1 | 3 | 5,
    organisationId: organisation.id,
  }
}

export class CsvFileError extends Error {
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(messageKey)
  }
}

/** UTF-8 (with or without BOM), else Windows-1252 (what Excel on Windows saves). */
export function decodeCsv(buffer: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer)
  } catch {
    return new TextDecoder('windows-1252').decode(buffer)
  }
}

function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, ' ')
}

/** Reads an uploaded CSV into rows; a wrong header, an empty or an oversized file is a CsvFileError. */
export function readCsv(buffer: Uint8Array): { line: number; values: RawRow }[] {
  const text = decodeCsv(buffer)
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: string[][]
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, trim: true })
  } catch (error) {
    throw new CsvFileError('users:import.errors.csvUnreadable', { detail: (error as Error).message.slice(0, 200) })
  }
  const header = records[0]
  if (!header || header.every((c) => c.trim() === '')) throw new CsvFileError('users:import.errors.csvEmpty')
  const expected = CSV_HEADER.join(delimiter)
  if (header.length !== CSV_HEADER.length || header.some((cell, i) => normaliseHeader(cell) !== CSV_HEADER[i])) {
    throw new CsvFileError('users:import.errors.csvHeader', { expected })
  }
  const rows: { line: number; values: RawRow }[] = []
  records.slice(1).forEach((record, index) => {
    if (record.every((c) => c.trim() === '')) return // empty rows are skipped
    const values = emptyRow()
    ROW_FIELDS.forEach((field, i) => {
      values[field] = record[i] ?? ''
    })
    rows.push({ line: index + 2, values })
  })
  if (rows.length === 0) throw new CsvFileError('users:import.errors.csvNoRows')
  if (rows.length > MAX_ROWS) throw new CsvFileError('users:import.errors.csvTooMany', { max: MAX_ROWS, count: rows.length })
  return rows
}

export function sampleCsv(kvkNumber = '12345678'): string {
  return (
    '\uFEFF' +
    [
      CSV_HEADER.join(';'),
      `Anna;;Jansen;14-03-1985;anna.jansen@voorbeeld.nl;0612345678;EH2+;3;${kvkNumber}`,
      `Pieter;van der;Berg;1979-11-02;p.vanderberg@voorbeeld.nl;+31687654321;EH3;1;${kvkNumber}`,
    ].join('\r\n') +
    '\r\n'
  )
}
