// Attempt limits per account and per address, kept in PostgreSQL (table rate_limits, a Prisma
// model with its own migration) so every app instance counts the same attempts.
//   login         10 failures per account, 50 per address, per 15 minutes
//   secondFactor   5 failures per account, 50 per address, per 15 minutes (TOTP enrolment)
//   reset          3 requests per account, 20 per address, per hour (forgot password + new password)
//   linkRequest   20 verzoeken per admin and organisation (account key `<admin id>:<organisation id>`),
//                 per hour (Beheer → Verzoeken; every request counts, not only failures)
//   addressInUse  50 addresses already in use per admin (account key = admin id) per hour, as named by
//                 the Gebruikers toevoegen preview; over it, every preview is refused for the hour
//   registration  20 look-ups or requests per KvK number, 60 per address, per hour (the public
//                 "eHerkenning aanvragen" pages; every attempt counts, the "account" key is the KvK number)
//   api          600 requests per API client per minute (every request counts; RateLimit-* headers;
//                the setting API_REQUESTS_PER_MINUTE changes it)
//   resend         3 "Opnieuw versturen" per item per hour (account key `<kind>:<item id>`: a link
//                 request, an application's signing mails, a person's activation link), 30 per admin
//                 per hour (the "address" key is the admin's id); every attempt counts
// Only failures count for login and second factor; a success clears the account's counter.
import type pg from 'pg'
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible'

export type LimitKind = 'login' | 'secondFactor' | 'reset' | 'linkRequest' | 'addressInUse' | 'registration' | 'api' | 'resend'

type Rule = { points: number; duration: number }
export const LIMITS: Record<LimitKind, { account: Rule; address: Rule }> = {
  login: { account: { points: 10, duration: 15 * 60 }, address: { points: 50, duration: 15 * 60 } },
  secondFactor: { account: { points: 5, duration: 15 * 60 }, address: { points: 50, duration: 15 * 60 } },
  reset: { account: { points: 3, duration: 60 * 60 }, address: { points: 20, duration: 60 * 60 } },
  linkRequest: { account: { points: 20, duration: 60 * 60 }, address: { points: 100, duration: 60 * 60 } },
  addressInUse: { account: { points: 50, duration: 60 * 60 }, address: { points: 500, duration: 60 * 60 } },
  registration: { account: { points: 20, duration: 60 * 60 }, address: { points: 60, duration: 60 * 60 } },
  api: { account: { points: 600, duration: 60 }, address: { points: 6000, duration: 60 } },
  resend: { account: { points: 3, duration: 60 * 60 }, address: { points: 30, duration: 60 * 60 } },
}

/** What a counted request leaves: for the RateLimit-* headers of the API. */
export type LimitState = { blocked: boolean; limit: number; remaining: number; resetSeconds: number }

export type LimitKeys = { account?: string | null; address?: string | null }

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterPostgres>()
  private readonly rules: Record<LimitKind, { account: Rule; address: Rule }>

  /** `apiPerMinute`: an API client's requests per minute (API_REQUESTS_PER_MINUTE), else LIMITS.api. */
  constructor(pool: pg.Pool, options: { apiPerMinute?: number } = {}) {
    const api = options.apiPerMinute ? { ...LIMITS.api, account: { ...LIMITS.api.account, points: options.apiPerMinute } } : LIMITS.api
    this.rules = { ...LIMITS, api }
    for (const kind of Object.keys(this.rules) as LimitKind[]) {
      for (const scope of ['account', 'address'] as const) {
        const rule = this.rules[kind][scope]
        this.limiters.set(
          `${kind}:${scope}`,
          new RateLimiterPostgres({
            storeClient: pool,
            storeType: 'pool',
            tableName: 'rate_limits',
            tableCreated: true,
            clearExpiredByTimeout: false,
            keyPrefix: `${kind}:${scope}`,
            points: rule.points,
            duration: rule.duration,
            blockDuration: rule.duration,
          }),
        )
      }
    }
  }

  private entries(kind: LimitKind, keys: LimitKeys) {
    const list: { limiter: RateLimiterPostgres; key: string; points: number }[] = []
    for (const scope of ['account', 'address'] as const) {
      const key = keys[scope]
      if (!key) continue
      list.push({ limiter: this.limiters.get(`${kind}:${scope}`)!, key: normaliseKey(key), points: this.rules[kind][scope].points })
    }
    return list
  }

  /** True when either the account or the address has used up its attempts. */
  async isBlocked(kind: LimitKind, keys: LimitKeys): Promise<boolean> {
    for (const { limiter, key, points } of this.entries(kind, keys)) {
      const res = await limiter.get(key)
      if (res && res.consumedPoints >= points) return true
    }
    return false
  }

  /** Counts one attempt; true when it was over the limit (the caller refuses it). */
  async consume(kind: LimitKind, keys: LimitKeys): Promise<boolean> {
    let blocked = false
    for (const { limiter, key } of this.entries(kind, keys)) {
      try {
        await limiter.consume(key)
      } catch (error) {
        if (error instanceof RateLimiterRes) blocked = true
        else throw error
      }
    }
    return blocked
  }

  /** Counts one request of an account (an API client) and says what is left. */
  async take(kind: LimitKind, account: string): Promise<LimitState> {
    const limiter = this.limiters.get(`${kind}:account`)!
    const limit = this.rules[kind].account.points
    try {
      const res = await limiter.consume(normaliseKey(account))
      return { blocked: false, limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) }
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      return { blocked: true, limit, remaining: 0, resetSeconds: Math.ceil(error.msBeforeNext / 1000) }
    }
  }

  /** After a success: the account starts again (the address keeps its count). */
  async reset(kind: LimitKind, keys: LimitKeys): Promise<void> {
    const entry = this.entries(kind, { account: keys.account })[0]
    if (entry) await entry.limiter.delete(entry.key)
  }
}

function normaliseKey(key: string): string {
  return key.trim().toLowerCase().slice(0, 200)
}
