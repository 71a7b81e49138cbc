// The one user search ("naam of e-mailadres") of the Machtigingen and Gebruikers lists and the
// wizard's user step, and the LIKE escaping every search in the code uses.
import { Prisma } from '../generated/prisma/client.ts'

/** A user's text for a LIKE pattern: `%`, `_` and `\` taken literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

const NONE: ReadonlySet<string> = new Set()
const SEARCH_TEXT = Prisma.sql`user_search_text(u.first_name, u.last_name_prefix, u.last_name, u.email)`

/**
 * The user search (on alias u): a substring of the name as displayed or of the e-mail address,
 * case-insensitive, `%` and `_` taken literally. The first conditions are on the expression of the
 * trigram index users_search_trgm_idx (migration *_users_search), so a search of three or more
 * characters is an index scan; shorter ones have no trigram and scan the users. The last keeps the
 * match exact: within the name or within the e-mail address, never across the two.
 *
 * `common`: trigrams in a large share of all users' search texts (searchTrigrams.ts). The index
 * conditions then leave out the parts of the search made of them (indexedParts): GIN reads the whole
 * posting list of every trigram of a condition, so "Persoon 0720159" among a million "Persoon …"
 * read seven lists of a million entries (1,936 pages, 32 ms) to find one user, and "0720159" alone
 * reads 26 pages (0.5 ms). The exact condition still holds the whole search, so the users found are
 * the same.
 */
export function userMatches(query: string, common: ReadonlySet<string> = NONE): Prisma.Sql {
  const trimmed = query.trim()
  const pattern = `%${escapeLike(trimmed)}%`
  const indexed = indexedParts(trimmed, common).map((part) => Prisma.sql`${SEARCH_TEXT} like lower(${`%${escapeLike(part)}%`})`)
  return Prisma.sql`${Prisma.join(indexed, ' and ')}
    and (u.email ilike ${pattern}
      or (u.first_name || ' ' || coalesce(u.last_name_prefix || ' ', '') || u.last_name) ilike ${pattern})`
}

/** A letter or digit: what pg_trgm takes into its trigrams (anything else separates words). */
const WORD = /[\p{L}\p{N}]+/gu

/** The trigrams pg_trgm takes from the inside of the words of a text (lower-cased; no padding). */
export function innerTrigrams(text: string): Set<string> {
  const trigrams = new Set<string>()
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    const chars = [...word]
    for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''))
  }
  return trigrams
}

/**
 * The parts of a search the index conditions look for: the search itself, unless some of its
 * trigrams are common. Then the longest stretches of its words made of uncommon trigrams only (a
 * stretch of one or more trigrams, so three or more characters), each a condition of its own. A
 * search whose trigrams are all common (or that has none) is looked for whole: nothing narrower is
 * known. Each part is a substring of the search, so a user the whole search matches is never lost.
 */
export function indexedParts(search: string, common: ReadonlySet<string>): string[] {
  if (common.size === 0) return [search]
  const parts: string[] = []
  let dropped = false
  for (const match of search.matchAll(WORD)) {
    const chars = [...match[0]]
    let start = -1
    for (let i = 0; i + 3 <= chars.length + 1; i++) {
      const rare =
        i + 3 <= chars.length &&
        !common.has(
          chars
            .slice(i, i + 3)
            .join('')
            .toLowerCase(),
        )
      if (rare && start < 0) start = i
      if (!rare && i + 3 <= chars.length) dropped = true
      if (!rare && start >= 0) {
        parts.push(chars.slice(start, i + 2).join(''))
        start = -1
      }
    }
  }
  return dropped && parts.length > 0 ? parts : [search]
}
