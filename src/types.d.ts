import 'express-session'
import type { TFunction } from 'i18next'
import type passport from 'passport'
import type { Handler as ExpressHandler } from 'express'
import type { Principal } from './shared/principal.ts'
import type { ApiCaller } from './shared/apiTokens.ts'

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
    interface Request {
      t: TFunction
      locale: 'nl' | 'en'
      /** this app's Passport (src/middleware/setUpAuthentication.ts) */
      passport: passport.Authenticator<ExpressHandler, ExpressHandler>
      /** why a multipart upload was refused (src/web/upload.ts) */
      uploadError?: string
      /** the API client behind a bearer token (src/web/apiAuth.ts) */
      apiCaller?: ApiCaller
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string
    createdAt?: number
    /** the last "Blijf ingelogd" (src/features/session): a change, so the store's expiry moves now */
    keptAliveAt?: number
    /** role and administered organisations at the last request (privilege change → new session id) */
    privileges?: string
    /** between a right password and a confirmed first TOTP code (src/features/security/enrolRoutes.ts) */
    enrolment?: { userId: string; email: string; secret: string; startedAt: number }
    /** recovery codes to show once, right after enrolment */
    recoveryCodes?: string[]
    flash?: { type: 'success' | 'info' | 'warning' | 'error'; message: string }[]
  }
}
