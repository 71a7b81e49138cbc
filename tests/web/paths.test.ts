// src/paths.ts is the one place that knows the portal's URLs: every route pattern (`paths`) and every
// link builder (`links`). These tests check that the builders make the URLs their patterns match, that
// the app registers exactly the patterns of paths.ts, and that no other file in src/ or views/ writes a
// portal URL out by hand.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../src/db/migrations.ts'
import { LIST_PATH_PREFIX, RENEW_PATH_PREFIX } from '../../src/features/expiry/expiryService.ts'
import { links, pathFor, paths, withQuery } from '../../src/paths.ts'
import { appRoutes } from '../security/routes.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const ID = '0b5c3f4e-8d2a-4c1b-9e7f-123456789abc'
const TOKEN = 'Ab3_x-Yz09'

/** Does `url` match the Express route `pattern`, with these parameters? (`:name` is one segment.) */
function matches(pattern: string, url: string, params: Record<string, string>): boolean {
  const names: string[] = []
  const source = pattern.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/?#]+)'))
  const found = new RegExp(`^${source}$`).exec(url.split('?')[0]!)
  return !!found && names.every((name, i) => decodeURIComponent(found[i + 1]!) === params[name])
}

/** Every string in `paths`, with its key path (`beheer.userDetail`). */
function allPatterns(node: unknown = paths, key = ''): [string, string][] {
  if (typeof node === 'string') return [[key, node]]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => allPatterns(v, key ? `${key}.${k}` : k))
}

describe('links', () => {
  // Each builder with the pattern it fills and the parameters it was given.
  const parametrised: [string, string, string, Record<string, string>][] = [
    ['userDetail', links.userDetail(ID), paths.beheer.userDetail, { id: ID }],
    ['userUpgrade', links.userUpgrade(ID), paths.beheer.userUpgrade, { id: ID }],
    ['requestCancel', links.requestCancel(ID), paths.beheer.requestCancel, { id: ID }],
    ['applicationSign', links.applicationSign(ID), paths.beheer.applicationSign, { id: ID }],
    ['applicationCancel', links.applicationCancel(ID), paths.beheer.applicationCancel, { id: ID }],
    ['applicationToRepresentatives', links.applicationToRepresentatives(ID), paths.beheer.applicationToRepresentatives, { id: ID }],
    ['mandateRevoke', links.mandateRevoke(ID), paths.mandates.revoke, { id: ID }],
    ['mandateRenew', links.mandateRenew(ID), paths.mandates.renew, { id: ID }],
    ['mandateActivate', links.mandateActivate(ID), paths.mandates.activate, { id: ID }],
    ['backofficeApprove', links.backofficeApprove(ID), paths.backofficeApprove, { id: ID }],
    ['backofficeReject', links.backofficeReject(ID), paths.backofficeReject, { id: ID }],
    ['backofficeMailResend', links.backofficeMailResend(ID), paths.backofficeMailResend, { id: ID }],
    ['devMail', links.devMail(ID), paths.devMail, { id: ID }],
    ['devMailHtml', links.devMailHtml(ID), paths.devMailHtml, { id: ID }],
    ['mineEmailConfirm', links.mineEmailConfirm(TOKEN), paths.mineEmailConfirm, { token: TOKEN }],
    ['mineRequestAccept', links.mineRequestAccept(ID), paths.mineRequestAccept, { id: ID }],
    ['mineRequestReject', links.mineRequestReject(ID), paths.mineRequestReject, { id: ID }],
    ['signApplication', links.signApplication(TOKEN), paths.signApplication, { token: TOKEN }],
    ['renewal', links.renewal(TOKEN), paths.renewalToken, { token: TOKEN }],
    ['resetPassword', links.resetPassword(TOKEN), paths.security.resetPasswordToken, { token: TOKEN }],
  ]

  it.each(parametrised)('When %s builds a link, then its route pattern matches it with the same parameters', (_name, url, pattern, params) => {
    expect(matches(pattern, url, params)).toBe(true)
  })

  it('When links are built, then they are the URLs the mails and tests have always used', () => {
    expect(links.userDetail(ID)).toBe(`/beheer/gebruikers/${ID}`)
    expect(links.signApplication(TOKEN)).toBe(`/ondertekenen/${TOKEN}`)
    expect(links.renewal(TOKEN)).toBe(`/verlengen/${TOKEN}`)
    expect(links.resetPassword(TOKEN)).toBe(`/wachtwoord-herstellen/${TOKEN}`)
    expect(links.mineEmailConfirm(TOKEN)).toBe(`/mijn-gegevens/e-mailadres/${TOKEN}`)
    expect(links.mandateRevoke(ID)).toBe(`/beheer/machtigingen/${ID}/intrekken`)
    expect(links.backofficeMailResend(ID)).toBe(`/backoffice/mail/${ID}/opnieuw`)
    expect(links.devMailHtml(ID)).toBe(`/dev/mailbox/${ID}/html`)
    expect(links.overview()).toBe('/overzicht')
    expect(links.mine()).toBe('/mijn-gegevens')
  })

  it('When a parameter holds URL characters, then it is encoded and stays one segment', () => {
    expect(pathFor(paths.beheer.userDetail, { id: 'a/b?c' })).toBe('/beheer/gebruikers/a%2Fb%3Fc')
  })

  it('When a list link gets filters, then empty ones are left out and the rest form the query in order', () => {
    expect(links.users()).toBe('/beheer/gebruikers')
    expect(links.users({ zoek: 'de vries', organisatie: '', niveau: undefined, na: 'x&y' })).toBe('/beheer/gebruikers?zoek=de+vries&na=x%26y')
    expect(links.login({ uitgelogd: 1 })).toBe('/inloggen?uitgelogd=1')
    expect(links.backofficeMail({ status: 'failed' })).toBe('/backoffice/mail?status=failed')
    expect(links.backofficeMail({ status: undefined, before: '2026-01-02T03:04:05.000Z_x' })).toBe('/backoffice/mail?before=2026-01-02T03%3A04%3A05.000Z_x')
    expect(links.auditLogExport(new URLSearchParams({ actie: 'login' }))).toBe('/beheer/logboek/export.csv?actie=login')
    expect(withQuery('/x', new URLSearchParams())).toBe('/x')
  })

  it("When the expiry scan makes its links in SQL, then its prefixes plus a token or id are the builders' links", () => {
    expect(RENEW_PATH_PREFIX + 'abc123').toBe(links.renewal('abc123'))
    expect(LIST_PATH_PREFIX + ID).toBe(links.mandates({ organisatie: ID }))
  })

  it('When the Machtigingen pages link to a step or page, then the link is its route pattern', () => {
    expect(links.mandates()).toBe(paths.mandates.list)
    expect(links.mandateWizard()).toBe(paths.mandates.wizard)
    expect(links.mandateWizardOrganisation()).toBe(paths.mandates.wizardOrganisation)
    expect(links.mandateWizardUser()).toBe(paths.mandates.wizardUser)
    expect(links.mandateWizardLevel()).toBe(paths.mandates.wizardLevel)
    expect(links.mandateWizardServices({ zoek: '' })).toBe(paths.mandates.wizardServices)
    expect(links.mandateWizardServices({ zoek: 'a b' })).toBe(`${paths.mandates.wizardServices}?zoek=a+b`)
    expect(links.mandateWizardTerm()).toBe(paths.mandates.wizardTerm)
    expect(links.mandateWizardConfirm()).toBe(paths.mandates.wizardConfirm)
    expect(links.mandateWizardResult()).toBe(paths.mandates.wizardResult)
    expect(links.mandatesBulkRenew()).toBe(paths.mandates.bulkRenew)
    expect(links.mandatesBulkRenewResult()).toBe(paths.mandates.bulkRenewResult)
    expect(links.mandates({ inactief: 1 })).toBe('/beheer/machtigingen?inactief=1')
  })
})

describe("paths and the app's routes", () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  // Entries of paths.ts that are only the start of a route (`/ondertekenen` + `/:token`).
  const PREFIXES = new Set<string>([paths.sign, paths.renewal, paths.security.resetPassword])

  it('When the app registers its routes, then every pattern is in paths.ts and every pattern there is a route', () => {
    const patterns = new Set(allPatterns().map(([, pattern]) => pattern))
    const registered = new Set(appRoutes(t.app).map((r) => r.path))
    expect([...registered].filter((p) => !patterns.has(p))).toEqual([])
    expect(allPatterns().filter(([, p]) => !registered.has(p) && !PREFIXES.has(p))).toEqual([])
  })
})

// ---- No portal URL written out by hand ---------------------------------------------------------

const PORTAL_URL = /(["'`])\/(?:beheer|ondertekenen|verlengen|wachtwoord-|mijn-gegevens|inloggen|uitloggen|overzicht|backoffice|dev\/mailbox|taal)\b/g

/** Files that may hold portal URLs: the one source of truth, and generated code. */
const OWNERS = ['src/paths.ts', 'src/generated/']

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(path.join(projectRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
}

function hardCodedUrls(text: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = []
  text.split('\n').forEach((line, i) => {
    if (line.match(PORTAL_URL)) found.push({ line: i + 1, text: line.trim().slice(0, 160) })
  })
  return found
}

describe('hard-coded portal URLs', () => {
  it('When a line writes out a portal URL, then the check finds it; a path from paths.ts it leaves alone', () => {
    expect(hardCodedUrls("res.redirect(303, '/beheer/gebruikers')")).toHaveLength(1)
    expect(hardCodedUrls('signPath: `/ondertekenen/${token}`')).toHaveLength(1)
    expect(hardCodedUrls('<a href="/wachtwoord-vergeten">')).toHaveLength(1)
    expect(hardCodedUrls("<%= url('/overzicht') %>")).toHaveLength(1)
    expect(hardCodedUrls('<a href="<%= links.userDetail(r.id) %>">')).toHaveLength(0)
    expect(hardCodedUrls('<link href="/assets/css/app.css"> \'/health\'')).toHaveLength(0)
  })

  it('When src/ and views/ are read, then no file outside paths.ts writes a portal URL out', () => {
    const files = [...filesUnder('src', '.ts'), ...filesUnder('views', '.ejs')]
    expect(files.length).toBeGreaterThan(50)
    const offenders = files
      .filter((file) => !OWNERS.some((owner) => file === owner || file.startsWith(owner)))
      .flatMap((file) => hardCodedUrls(readFileSync(path.join(projectRoot, file), 'utf8')).map((hit) => `${file}:${hit.line}: ${hit.text}`))
    expect(offenders, 'use paths/links from src/paths.ts (views: the `links` local)').toEqual([])
  })
})
