// WCAG 2.2 AA checks axe cannot make (#18), in Chromium over every Beheer page and the help,
// statement and self pages: the focus is visible and not hidden behind a sticky element while
// tabbing (2.4.7, 2.4.11), icon buttons are at least 24 × 24 CSS px (2.5.8), and at 320 CSS px wide
// (400 % zoom of 1280) nothing needs horizontal scrolling except a data table in its own scroll
// region (1.4.10). Axe (WCAG 2.2 AA) runs on each page too. The time-out dialog by keyboard only is
// in sessionTimeout.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { links } from '../../src/paths.ts'
import { checkPage, newPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

/** How many pages `beheerPages` lists (a test per page is declared before the database exists). */
const PAGE_COUNT = 24
const PAGE_INDEXES = Array.from({ length: PAGE_COUNT }, (_, i) => i)

async function beheerPages(): Promise<string[]> {
  const db = e2e.t.database.db
  const jan = await db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
  const bakkerij = await db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
  const application = await db.application.findFirstOrThrow({ where: { organisationId: bakkerij.id } })
  const mandate = await db.mandate.findFirstOrThrow({ where: { organisationId: bakkerij.id, kind: 'use' } })
  return [
    links.overview(),
    links.mandates(),
    links.mandateWizard(),
    links.mandateHistory(mandate.id),
    links.users(),
    links.usersAdd(),
    links.userDetail(jan.id),
    links.requests(),
    links.requestsNew(),
    links.applications(),
    links.applicationDetail(application.id),
    links.adminAppointment(),
    links.auditLog(),
    links.chains(),
    links.chainClients(),
    links.who(),
    links.apiClients(),
    links.mine(),
    links.mineSecurity(),
    links.help(),
    links.helpGuide('machtigingen-aanvragen'),
    links.privacy(),
    links.accessibility(),
    links.contact(),
  ]
}

// Evaluated in the page (strings: the project's TypeScript has no DOM types).
const FOCUS_STATE = `(() => {
  const a = document.activeElement
  if (!a || a === document.body) return null
  const r = a.getBoundingClientRect()
  const s = getComputedStyle(a)
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
  const shadow = s.boxShadow && s.boxShadow !== 'none'
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)
  const hit = document.elementFromPoint(x, y)
  const covered = !!hit && !a.contains(hit) && !hit.contains(a) && !(a.labels && [...a.labels].some((l) => l.contains(hit)))
  return { what: a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ' ' + (a.textContent || a.getAttribute('aria-label') || '').trim().slice(0, 40), visible: outline || shadow, covered, coveredBy: covered && hit ? hit.tagName.toLowerCase() + '.' + hit.className : '', size: r.width * r.height }
})()`

const SMALL_TARGETS = `[...document.querySelectorAll('.bm-icon-button, button:not(:has(*:not(svg, svg *, span.bm-visually-hidden))):has(svg)')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect(); return { what: el.getAttribute('aria-label') || el.textContent.trim(), w: r.width, h: r.height } })
  .filter((t) => t.w < 24 || t.h < 24)`

const OVERFLOW = `(() => {
  const doc = document.documentElement
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    if (el.closest('.bm-table-scroll, .bm-visually-hidden, .utrecht-table-container')) return false
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.right > doc.clientWidth + 1
  }).slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + el.className)
  return { scroll: doc.scrollWidth - doc.clientWidth, wide }
})()`

async function tabThrough(page: Page, path: string, presses = 40) {
  await page.goto(path)
  const problems: string[] = []
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab')
    const state = await page.evaluate<{ what: string; visible: boolean; covered: boolean; coveredBy: string; size: number } | null>(FOCUS_STATE)
    if (!state || state.size === 0) continue
    if (!state.visible) problems.push(`${path}: no visible focus on ${state.what}`)
    if (state.covered) problems.push(`${path}: focus on ${state.what} hidden behind ${state.coveredBy}`)
  }
  return problems
}

describe('WCAG 2.2 AA checks beyond axe', () => {
  // One test per page (each tabs 30 times and runs axe), so a slow machine does not time out the lot.
  for (const index of PAGE_INDEXES) {
    it(`When the admin tabs through page ${index + 1} of the list, then the focus is always visible and never hidden behind a sticky element; icon buttons are at least 24 × 24 px; axe passes`, async () => {
      const path = (await beheerPages())[index]!
      const { context, page } = await signedIn(e2e, 'sanne')
      const problems = await tabThrough(page, path, 30)
      const small = await page.evaluate<{ what: string; w: number; h: number }[]>(SMALL_TARGETS)
      problems.push(...small.map((s) => `${path}: target "${s.what}" is ${s.w.toFixed(0)} × ${s.h.toFixed(0)} px`))
      await checkPage(page)
      expect(problems).toEqual([])
      await context.close()
    }, 90_000)
  }

  it('When every page is shown 320 CSS px wide (400 % zoom), then nothing needs horizontal scrolling and no content is cut off', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.setViewportSize({ width: 320, height: 640 })
    const problems: string[] = []
    const pages = await beheerPages()
    expect(pages).toHaveLength(PAGE_COUNT)
    for (const path of pages) {
      await page.goto(path)
      const overflow = await page.evaluate<{ scroll: number; wide: string[] }>(OVERFLOW)
      if (overflow.scroll > 1 || overflow.wide.length) problems.push(`${path}: ${overflow.scroll} px too wide (${overflow.wide.join(', ')})`)
    }
    expect(problems).toEqual([])
    await context.close()
  })

  it('When a visitor who is not logged in opens the login and help pages at 320 CSS px, then they reflow too', async () => {
    const { context, page } = await newPage(e2e, { width: 320, height: 640 })
    const problems: string[] = []
    for (const path of [links.login(), links.help(), links.accessibility(), links.contact(), links.privacy()]) {
      await page.goto(path)
      const overflow = await page.evaluate<{ scroll: number; wide: string[] }>(OVERFLOW)
      if (overflow.scroll > 1 || overflow.wide.length) problems.push(`${path}: ${overflow.scroll} px too wide (${overflow.wide.join(', ')})`)
    }
    expect(problems).toEqual([])
    await context.close()
  })
})
