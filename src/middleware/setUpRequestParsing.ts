import express, { Router } from 'express'
import { paths } from '../paths.ts'
import { parseUpload } from '../web/upload.ts'

/** Form posts only (the portal has no JSON API); small limits so nothing oversized gets through. */
export function setUpRequestParsing(): Router {
  const router = Router()
  router.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }))
  // The one multipart form: the CSV upload of "Gebruikers toevoegen".
  router.post(paths.beheer.usersUpload, parseUpload)
  return router
}
