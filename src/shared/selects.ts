// Prisma selects several features read the same way: a person as lists name and reach him, and a
// mandate or assignment as its row describes it (scope, level, status, end, the names of what it covers).

/** A person as a list shows him: id, name parts (for personName) and e-mail address. */
export const PERSON_SELECT = { id: true, firstName: true, lastNamePrefix: true, lastName: true, email: true } as const

/** What a mandate or chain assignment covers and its state, as its row shows it. */
export const COVERAGE_SELECT = {
  scope: true,
  level: true,
  status: true,
  validUntil: true,
  service: { select: { name: true } },
  provider: { select: { name: true } },
} as const

/** A person's own data as his page and SCIM show it: also date of birth and mobile number. */
export const PERSON_DATA_SELECT = { ...PERSON_SELECT, dateOfBirth: true, mobile: true } as const
