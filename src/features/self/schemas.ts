import { z } from 'zod'

/** Mijn gegevens' query: the page of own mandates; anything odd is page 1. */
export const selfQuery = z.object({
  pagina: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
})
