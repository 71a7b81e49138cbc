// The one user search ("naam of e-mailadres") of the Machtigingen and Gebruikers lists, and the LIKE
// escaping every search in the code uses.
import { Prisma } from '../generated/prisma/client.ts'

/** A user's text for a LIKE pattern: `%`, `_` and `\` taken literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * The user search (on alias u): a substring of the name as displayed or of the e-mail address,
 * case-insensitive, `%` and `_` taken literally. The first condition is the expression of the
 * trigram index users_search_trgm_idx (migration *_users_search), so a search of three or more
 * characters is an index scan; shorter ones have no trigram and scan the users. The second keeps
 * the match exact: within the name or within the e-mail address, never across the two.
 */
export function userMatches(query: string): Prisma.Sql {
  const pattern = `%${escapeLike(query.trim())}%`
  return Prisma.sql`user_search_text(u.first_name, u.last_name_prefix, u.last_name, u.email) like lower(${pattern})
    and (u.email ilike ${pattern}
      or (u.first_name || ' ' || coalesce(u.last_name_prefix || ' ', '') || u.last_name) ilike ${pattern})`
}
