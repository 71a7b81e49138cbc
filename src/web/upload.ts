// Multipart form posts (file uploads) with multer: memory storage, one small file. Parsed before the
// CSRF check so the form's `_csrf` field is read as for any other form. A refused upload (too large,
// too many files) does not fail the request: the handler finds `req.uploadError` and says why.
import type { NextFunction, Request, Response } from 'express'
import multer from 'multer'

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 10_000 } }).single('file')

export function parseUpload(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('multipart/form-data')) return next()
  upload(req, res, (error: unknown) => {
    if (error) req.uploadError = (error as { code?: string }).code ?? 'UPLOAD_FAILED'
    next()
  })
}
