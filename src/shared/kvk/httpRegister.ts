// KvK's APIs: Basisprofiel (`GET /v1/basisprofielen/{kvkNummer}` and `/vestigingen`) for the profile
// and branches, and the functionarissen from the Handelsregister extract the supplier has a contract
// for (`GET /v1/functionarissen/{kvkNummer}`, JSON: { functionarissen: [{ naam, functie, bevoegdheid }] }:
// KvK publishes no open JSON API for these, so this path and shape are the contract's and can be
// set with KVK_OFFICERS_PATH). Requests carry the `apikey` header. Errors answer as KvK does:
// { fout: [{ code: 'IPD0005', omschrijving: '…' }] } with 400/404/429/5xx.
import type { Logger } from 'pino'
import { authorityFrom, KvkError, type KvkAddress, type KvkBranch, type KvkFailure, type KvkOfficer, type KvkProfile, type KvkRegister } from './register.ts'

export type HttpKvkOptions = { baseUrl: string; apiKey: string; timeoutMs?: number; officersPath?: string; logger?: Logger }

type Adres = {
  type?: string
  straatnaam?: string
  huisnummer?: number | string
  huisletter?: string
  huisnummerToevoeging?: string
  postcode?: string
  plaats?: string
  volledigAdres?: string
}
type Basisprofiel = {
  kvkNummer?: string
  naam?: string
  statutaireNaam?: string
  _embedded?: { hoofdvestiging?: { adressen?: Adres[] }; eigenaar?: { rechtsvorm?: string; uitgebreideRechtsvorm?: string; adressen?: Adres[] } }
}
type Vestigingen = { vestigingen?: { vestigingsnummer?: string; eersteHandelsnaam?: string; volledigAdres?: string; adressen?: Adres[] }[] }
type Functionarissen = { functionarissen?: { naam?: string; functie?: string; bevoegdheid?: string }[] }

export class HttpKvkRegister implements KvkRegister {
  private readonly base: string
  private readonly timeoutMs: number
  private readonly officersPath: string

  constructor(private readonly options: HttpKvkOptions) {
    this.base = options.baseUrl.replace(/\/$/, '')
    this.timeoutMs = options.timeoutMs ?? 5000
    this.officersPath = options.officersPath ?? '/v1/functionarissen/{kvkNummer}'
  }

  async profile(kvkNumber: string): Promise<KvkProfile> {
    const number = encodeURIComponent(kvkNumber)
    const [profile, branches, officers] = await Promise.all([
      this.get<Basisprofiel>(`/v1/basisprofielen/${number}?geoData=false`, kvkNumber),
      this.get<Vestigingen>(`/v1/basisprofielen/${number}/vestigingen`, kvkNumber),
      this.get<Functionarissen>(this.officersPath.replace('{kvkNummer}', number), kvkNumber),
    ])
    if (!profile.naam && !profile.statutaireNaam) throw this.fail('unavailable', kvkNumber, 'profile without a name')
    const addresses = profile._embedded?.hoofdvestiging?.adressen ?? profile._embedded?.eigenaar?.adressen ?? []
    return {
      kvkNumber,
      name: (profile.statutaireNaam ?? profile.naam)!,
      legalForm: profile._embedded?.eigenaar?.uitgebreideRechtsvorm ?? profile._embedded?.eigenaar?.rechtsvorm ?? null,
      address: toAddress(addresses),
      branches: (branches.vestigingen ?? []).filter((v) => /^[0-9]{12}$/.test(v.vestigingsnummer ?? '')).map(toBranch),
      officers: (officers.functionarissen ?? []).flatMap((f): KvkOfficer[] => {
        const authority = authorityFrom(f.bevoegdheid ?? '')
        return f.naam && authority ? [{ name: f.naam, authority, role: f.functie ?? null }] : []
      }),
    }
  }

  private fail(kind: KvkFailure, kvkNumber: string, detail: string): KvkError {
    const level = kind === 'unknown' ? 'info' : 'warn'
    this.options.logger?.[level]({ kvkNumber, kind, detail }, 'KvK look-up failed')
    return new KvkError(kind, detail)
  }

  private async get<T>(pathAndQuery: string, kvkNumber: string): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${this.base}${pathAndQuery}`, {
        headers: { apikey: this.options.apiKey, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      const name = error instanceof Error ? error.name : ''
      if (name === 'TimeoutError' || name === 'AbortError') throw this.fail('timeout', kvkNumber, `${pathAndQuery}: no answer within ${this.timeoutMs} ms`)
      throw this.fail('unavailable', kvkNumber, `${pathAndQuery}: ${error instanceof Error ? error.message : String(error)}`)
    }
    const text = await response.text().catch(() => '')
    if (response.ok) {
      try {
        return JSON.parse(text) as T
      } catch {
        throw this.fail('unavailable', kvkNumber, `${pathAndQuery}: unreadable answer`)
      }
    }
    const detail = `${pathAndQuery}: ${response.status} ${errorText(text)}`
    if (response.status === 404 || response.status === 400) throw this.fail('unknown', kvkNumber, detail)
    if (response.status === 429) throw this.fail('rateLimited', kvkNumber, detail)
    throw this.fail('unavailable', kvkNumber, detail)
  }
}

/** KvK's error body: { fout: [{ code, omschrijving }] }; anything else is shown cut short. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { fout?: { code?: string; omschrijving?: string }[] }
    if (parsed.fout?.length) return parsed.fout.map((f) => `${f.code ?? '?'} ${f.omschrijving ?? ''}`.trim()).join('; ')
  } catch {
    /* not JSON */
  }
  return body.slice(0, 200)
}

function toAddress(adressen: Adres[]): KvkAddress | null {
  const a = adressen.find((x) => x.type === 'bezoekadres') ?? adressen[0]
  if (!a) return null
  const street = [a.straatnaam, [a.huisnummer, a.huisletter].filter(Boolean).join(''), a.huisnummerToevoeging].filter(Boolean).join(' ')
  return { street: street || (a.volledigAdres ?? ''), postcode: a.postcode ?? '', city: a.plaats ?? '' }
}

function toBranch(v: NonNullable<Vestigingen['vestigingen']>[number]): KvkBranch {
  const city =
    v.adressen?.[0]?.plaats ??
    v.volledigAdres
      ?.split(/\s{2,}|,\s*/)
      .pop()
      ?.trim() ??
    null
  return { branchNumber: v.vestigingsnummer!, name: v.eersteHandelsnaam ?? '', city: city || null }
}
