// The breached-password check (rule 22), offline: src/shared/data/common-passwords.txt holds the
// 10,000 most common passwords of a public leak-frequency list and every longer entry of it (its
// header names the source). Compared case-insensitively, also without trailing digits and symbols
// ("Welkom12345!" counts as "welkom").
import { readFileSync } from 'node:fs'
import path from 'node:path'

const FILE = path.resolve(import.meta.dirname, 'data/common-passwords.txt')
let list: Set<string> | undefined

function load(): Set<string> {
  list ??= new Set(
    readFileSync(FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith('#')),
  )
  return list
}

export function isBreachedPassword(password: string): boolean {
  const words = load()
  const lower = password.trim().toLowerCase()
  const stem = lower.replace(/[\d\W_]+$/u, '')
  if (words.has(lower) || (stem.length >= 4 && words.has(stem))) return true
  // One character repeated, or a run of digits alone ("000000000000", "123456789012").
  return /^(.)\1*$/u.test(lower) || /^\d+$/.test(lower)
}
