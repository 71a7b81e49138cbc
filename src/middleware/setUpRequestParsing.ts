import express, { Router } from 'express'
import { API_ROOT, SCIM_ROOT, paths } from '../paths.ts'
import { parseUpload } from '../web/upload.ts'
import { AppError } from '../errors.ts'

/** True when any string in a parsed body or query (nested arrays/objects too) holds a NUL byte. */
export function hasNulByte(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (depth > 32 || value === null || typeof value !== 'object') return false
  return Object.entries(value).some(([key, v]) => key.includes('\u0000') || hasNulByte(v, depth + 1))
}

/**
 * Form posts, and JSON on /api/v1 and /scim/v2; small limits so nothing oversized gets through.
 * A NUL byte is never typed by a person and PostgreSQL refuses it in text: 400 before any handler.
 */
export function setUpRequestParsing(): Router {
  const router = Router()
  router.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }))
  // JSON only on the API and SCIM (1 MB).
  const json = express.json({ limit: '1mb', type: ['application/json', 'application/scim+json', 'application/*+json'] })
  router.use(API_ROOT, json)
  router.use(SCIM_ROOT, json)
  // The one multipart form: the CSV upload of "Gebruikers toevoegen". Parsed here, before the CSRF
  // check reads `_csrf` from the body; the route itself (with its access rule) is in features/users.
  router.use(paths.beheer.usersUpload, (req, res, next) => (req.method === 'POST' ? parseUpload(req, res, next) : next()))
  router.use((req, _res, next) => {
    if (hasNulByte(req.query) || hasNulByte(req.body)) return next(new AppError('NUL byte in input', 400))
    next()
  })
  return router
}
