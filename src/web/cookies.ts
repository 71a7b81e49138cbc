// The portal's cookie names, shared by the middleware that sets them and the routes that clear them.
export const SESSION_COOKIE = 'bm.sid'
export const LOCALE_COOKIE = 'bm.lang'
