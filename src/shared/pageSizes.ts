// How many rows a list page shows: 25 unless the admin chooses 50 or 100 ("Aantal per pagina").
// One list for every page that offers the choice (Machtigingen, Logboek) and the API's `limit`.

export const PAGE_SIZES = [25, 50, 100] as const
export type PageSize = (typeof PAGE_SIZES)[number]
export const DEFAULT_PAGE_SIZE: PageSize = 25

/** The sizes as a form or query string gives them (for zod's enum). */
export const PAGE_SIZE_VALUES = ['25', '50', '100'] as const

/** The size a form value stands for; DEFAULT_PAGE_SIZE when absent or not one of PAGE_SIZES. */
export function pageSizeOf(value: string | number | undefined): PageSize {
  return PAGE_SIZES.find((size) => size === Number(value)) ?? DEFAULT_PAGE_SIZE
}

/** The choices of the "Aantal per pagina" select (views/partials/select.ejs). */
export const PAGE_SIZE_OPTIONS: readonly { value: string; label: string }[] = PAGE_SIZE_VALUES.map((value) => ({ value, label: value }))
