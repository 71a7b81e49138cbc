// The register without KvK's APIs: prisma/seed/kvk.json, in the shape of KvkProfile. Used when
// KVK_API_URL is not set (development, demo, tests), so the two-command start shows the whole flow.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { KvkError, type KvkProfile, type KvkRegister } from './register.ts'

export const KVK_FILE = path.resolve(import.meta.dirname, '../../../prisma/seed/kvk.json')

export class FileKvkRegister implements KvkRegister {
  private profiles: Map<string, KvkProfile> | undefined

  constructor(private readonly file: string = KVK_FILE) {}

  private load(): Map<string, KvkProfile> {
    if (!this.profiles) {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { companies: KvkProfile[] }
      this.profiles = new Map(data.companies.map((c) => [c.kvkNumber, c]))
    }
    return this.profiles
  }

  profile(kvkNumber: string): Promise<KvkProfile> {
    const found = this.load().get(kvkNumber)
    if (!found) return Promise.reject(new KvkError('unknown', kvkNumber))
    return Promise.resolve(structuredClone(found))
  }
}
