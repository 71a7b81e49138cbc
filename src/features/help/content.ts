// The help guides and the statements, read from the `help` catalogue (src/i18n/locales/<lng>/help.json):
// the texts are content, kept per language beside the other texts. A guide's slug is the same in every
// language, so a link to /hulp/<slug> works whatever language the reader chose.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { getI18n, type Locale } from '../../i18n/index.ts'
import { projectRoot } from '../../db/migrations.ts'

export type Guide = { slug: string; title: string; summary: string; steps: string[]; notes: string[] }
export type StatementSection = { heading: string; paragraphs?: string[]; items?: string[] }
export type Statement = { title: string; intro: string; sections: StatementSection[] }

type HelpCatalogue = { guides: Guide[]; privacy: Statement; accessibility: Statement }

/**
 * A guide's screenshot: public/help/screenshots/<slug>.png, written by the browser test
 * tests/e2e/helpScreenshots.test.ts (with UPDATE_SCREENSHOTS=1) from the page the guide explains,
 * served under /assets. Null when the guide has none. Looked up once per slug.
 */
const SCREENSHOT_DIR = path.join(projectRoot, 'public/help/screenshots')
const screenshots = new Map<string, string | null>()
export function screenshotOf(slug: string): string | null {
  let found = screenshots.get(slug)
  if (found === undefined) {
    found = existsSync(path.join(SCREENSHOT_DIR, `${slug}.png`)) ? `/assets/help/screenshots/${slug}.png` : null
    screenshots.set(slug, found)
  }
  return found
}

/** The longest help search accepted; a longer one gets a message and no search. */
export const MAX_QUERY_LENGTH = 100

function catalogue(locale: Locale): HelpCatalogue {
  return getI18n().getResourceBundle(locale, 'help') as HelpCatalogue
}

export function guides(locale: Locale): Guide[] {
  return catalogue(locale).guides
}

export function guide(locale: Locale, slug: string): Guide | undefined {
  return guides(locale).find((g) => g.slug === slug)
}

/** Lower case, accents and punctuation folded away: "Machtigingen Verlengen!" → "machtigingen verlengen". */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+]+/gu, ' ')
    .trim()
}

const searchText = new Map<string, string>()
function textOf(locale: Locale, g: Guide): string {
  const key = `${locale}:${g.slug}`
  let text = searchText.get(key)
  if (text === undefined) {
    text = ` ${normalise([g.title, g.summary, ...g.steps, ...g.notes].join(' '))} `
    searchText.set(key, text)
  }
  return text
}

/**
 * The guides whose text holds every word of the query (plain text, never a pattern: any character
 * is safe), titles matches first. An empty query (or one of only punctuation) finds nothing.
 */
export function searchGuides(locale: Locale, query: string): Guide[] {
  const words = normalise(query).split(' ').filter(Boolean)
  if (words.length === 0) return []
  const found = guides(locale).filter((g) => words.every((word) => textOf(locale, g).includes(word)))
  const inTitle = (g: Guide) => words.every((word) => normalise(g.title).includes(word))
  return [...found.filter(inTitle), ...found.filter((g) => !inTitle(g))]
}

/** `{{name}}` in a statement's texts filled with the settings (plain text; the view escapes it). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

export function statement(locale: Locale, which: 'privacy' | 'accessibility', values: Record<string, string | number>): Statement {
  const s = catalogue(locale)[which]
  const f = (text: string) => fill(text, values)
  return {
    title: s.title,
    intro: f(s.intro),
    sections: s.sections.map((section) => ({
      heading: f(section.heading),
      paragraphs: section.paragraphs?.map(f),
      items: section.items?.map(f),
    })),
  }
}
