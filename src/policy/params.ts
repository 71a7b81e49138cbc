// Path parameters are input too: parse them with zod; a value that does not fit is a page that
// does not exist (404), never a 500 from the database.
import { z, type ZodType } from 'zod'
import { NotFoundError } from '../errors.ts'

/** Parses `req.params` (or any object) with `schema`; NotFoundError when it does not fit. */
export function parseParams<S extends ZodType>(schema: S, params: unknown): z.infer<S> {
  const result = schema.safeParse(params)
  if (!result.success) throw new NotFoundError()
  return result.data
}

/** Common parameter shapes. */
export const idParam = z.object({ id: z.uuid() })
export const uuid = z.uuid()
