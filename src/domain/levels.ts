// Betrouwbaarheidsniveaus: the one list, their order, their spellings (code, database, screen).
// Ordered EH2 < EH2+ < EH3 < EH4, the same order as the PostgreSQL enum "Level" (so `level >= 'EH3'`
// works in SQL). EH1 is no longer issued.
import type { Level } from '../generated/prisma/client.ts'

export type { Level }

export const LEVELS: readonly Level[] = ['EH2', 'EH2_PLUS', 'EH3', 'EH4']

/** The same list as a tuple, for `z.enum(LEVEL_VALUES)`. */
export const LEVEL_VALUES = ['EH2', 'EH2_PLUS', 'EH3', 'EH4'] as const satisfies readonly Level[]

/** The levels an admin may appoint or grant at: EH2+ and above (a first admin needs two factors). */
export const ADMIN_LEVELS: readonly Level[] = ['EH2_PLUS', 'EH3', 'EH4']

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level)
}

/** a ≥ b in the order EH2 < EH2+ < EH3 < EH4. */
export function levelAtLeast(a: Level, b: Level): boolean {
  return levelRank(a) >= levelRank(b)
}

export function levelsAtOrBelow(level: Level): Level[] {
  return LEVELS.slice(0, levelRank(level) + 1)
}

/** The highest of these levels, or null for none. */
export function highestLevel(levels: Iterable<Level>): Level | null {
  let best: Level | null = null
  for (const level of levels) if (!best || levelRank(level) > levelRank(best)) best = level
  return best
}

/** The database (and the screen) spell EH2_PLUS as 'EH2+'. */
export function toDbLevel(level: Level): string {
  return level === 'EH2_PLUS' ? 'EH2+' : level
}

/** 'EH2+' (as PostgreSQL returns it from `level::text`) → EH2_PLUS. */
export function fromDbLevel(value: string): Level {
  return (value === 'EH2+' ? 'EH2_PLUS' : value) as Level
}

/** The label shown on pages and in mails: EH2, EH2+, EH3, EH4. */
export const levelLabel = toDbLevel

/** "EH2+" (as typed in a CSV or shown) → Prisma's EH2_PLUS; null for anything else. */
export function parseLevel(value: string): Level | null {
  const v = value.trim().toUpperCase().replace(/\s/g, '')
  if (v === 'EH2') return 'EH2'
  if (v === 'EH2+' || v === 'EH2_PLUS' || v === 'EH2PLUS') return 'EH2_PLUS'
  if (v === 'EH3') return 'EH3'
  if (v === 'EH4') return 'EH4'
  return null
}

/** Rule 10: EH2 and EH2+ are active at once; EH3 and EH4 wait for the supplier's identity check. */
export function needsIdentityCheck(level: Level): boolean {
  return levelAtLeast(level, 'EH3')
}
