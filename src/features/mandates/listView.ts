// What the Machtigingen list's rows need besides the rows themselves, made once rather than per
// page: with up to 100 rows a page these were the largest part of the page's cost (views/pages/mandates/_rows.ejs).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { TFunction } from 'i18next'
import { viewsDir } from '../../web/views.ts'
import { LEVELS } from '../../domain/levels.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'

/**
 * The row icons (the same SVGs as views/partials/icons), read once: each icon's shape goes into a
 * sprite once a page, and each row refers to it with <use>.
 */
export const listIcons = (() => {
  const shapes = ['renew', 'trash'].map((name) => {
    const svg = readFileSync(path.join(viewsDir, `partials/icons/${name}.ejs`), 'utf8').trim()
    const viewBox = /viewBox="([^"]+)"/.exec(svg)![1]
    const inner = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')
    return `<symbol id="bm-icon-${name}" viewBox="${viewBox}">${inner}</symbol>`
  })
  const use = (name: string) => `<svg class="bm-icon" aria-hidden="true"><use href="#bm-icon-${name}"/></svg>`
  return {
    sprite: `<svg class="bm-icon-sprite" aria-hidden="true">${shapes.join('')}</svg>`,
    renew: use('renew'),
    trash: use('trash'),
  }
})()

const NAME = '\u0001'
const SCOPE = '\u0002'
/** Fills a text made with the placeholders NAME and SCOPE. */
export function fill(text: string, name: string, scope: string): string {
  return text.replace(NAME, name).replace(SCOPE, scope)
}

export type ListTexts = ReturnType<typeof makeListTexts>

function makeListTexts(t: TFunction) {
  const pattern = (key: string): string => t(key, { name: NAME, scope: SCOPE })
  return {
    all: t('mandates:scope.all'),
    provider: pattern('mandates:scope.provider'),
    select: pattern('mandates:list.selectRow'),
    activateLabel: pattern('mandates:list.activateLabel'),
    renew: t('mandates:list.renewLabel'),
    revoke: t('mandates:list.revokeLabel'),
    suspend: t('mandates:list.suspendLabel'),
    lift: t('mandates:list.liftLabel'),
    activate: t('mandates:list.activate'),
    allBranches: t('mandates:list.allBranches'),
    expiring: t('mandates:list.expiringSoon'),
    status: Object.fromEntries(MANDATE_STATUSES.map((s) => [s, t(`mandates:status.${s}`)])) as Record<string, string>,
    level: Object.fromEntries(LEVELS.map((l) => [l, t(`common:levels.${l}`)])) as Record<string, string>,
  }
}

const textsByTranslator = new WeakMap<TFunction, ListTexts>()
/** The row texts in the translator's language; made once per language (translators are kept, see src/i18n). */
export function listTexts(t: TFunction): ListTexts {
  let texts = textsByTranslator.get(t)
  if (!texts) {
    texts = makeListTexts(t)
    textsByTranslator.set(t, texts)
  }
  return texts
}

type Catalogue = { providers: { id: string; name: string }[]; services: { id: string; name: string }[] }
const optionsByCatalogue = new WeakMap<Catalogue, WeakMap<TFunction, { value: string; label: string }[]>>()
/**
 * The options of the list's "Dienst" filter: all services, each provider ("alle diensten van …"),
 * and all services together. Made once per catalogue (kept a minute by the service) and language.
 */
export function scopeFilterOptions(catalogue: Catalogue, t: TFunction): { value: string; label: string }[] {
  let byLanguage = optionsByCatalogue.get(catalogue)
  if (!byLanguage) optionsByCatalogue.set(catalogue, (byLanguage = new WeakMap()))
  let options = byLanguage.get(t)
  if (!options) {
    const texts = listTexts(t)
    options = [
      { value: 'all', label: texts.all },
      ...catalogue.providers.map((p) => ({ value: `provider:${p.id}`, label: fill(texts.provider, p.name, '') })),
      ...catalogue.services.map((s) => ({ value: `service:${s.id}`, label: s.name })),
    ]
    byLanguage.set(t, options)
  }
  return options
}
