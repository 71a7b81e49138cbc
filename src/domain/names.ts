// A person's name, built one way everywhere: "Jan van der Berg".

export type PersonNameParts = { firstName: string; lastNamePrefix?: string | null; lastName: string }

export function personName(person: PersonNameParts): string {
  return [person.firstName, person.lastNamePrefix, person.lastName].filter(Boolean).join(' ')
}
