import { z } from 'zod'

/** Overzicht's query: a search in the admin's organisations (name or KvK number) and a page; anything odd is ignored. */
export const overviewQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  pagina: z.coerce.number().int().min(1).optional().catch(undefined),
})
