import 'express-session'
import type { TFunction } from 'i18next'
import type { Principal } from './features/auth/principal.ts'

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
    interface Request {
      t: TFunction
      locale: 'nl' | 'en'
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string
    createdAt?: number
    flash?: { type: 'success' | 'info' | 'warning' | 'error'; message: string }[]
  }
}
