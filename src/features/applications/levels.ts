// Levels in code: ordered EH2 < EH2+ < EH3 < EH4 (same order as the PostgreSQL enum).
import type { Level } from '../../generated/prisma/client.ts'

export const LEVELS: Level[] = ['EH2', 'EH2_PLUS', 'EH3', 'EH4']

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level)
}

export function levelsAtOrBelow(level: Level): Level[] {
  return LEVELS.slice(0, levelRank(level) + 1)
}

/** EH2 and EH2+ are active at once; EH3 and EH4 wait for the supplier's identity check (rule 10). */
export function needsIdentityCheck(level: Level): boolean {
  return levelRank(level) >= levelRank('EH3')
}

/** "EH2+" (as typed in a CSV or shown) → Prisma's EH2_PLUS. */
export function parseLevel(value: string): Level | null {
  const v = value.trim().toUpperCase().replace(/\s/g, '')
  if (v === 'EH2') return 'EH2'
  if (v === 'EH2+' || v === 'EH2_PLUS' || v === 'EH2PLUS') return 'EH2_PLUS'
  if (v === 'EH3') return 'EH3'
  if (v === 'EH4') return 'EH4'
  return null
}

export function levelLabel(level: Level): string {
  return level === 'EH2_PLUS' ? 'EH2+' : level
}
