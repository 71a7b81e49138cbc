import { describe, expect, it } from 'vitest'
import { representativesSuffice, type Representative as Rep } from '../../../src/domain/rules.ts'

const reps = (...authorities: Rep['authority'][]): Rep[] => authorities.map((authority, i) => ({ id: `r${i}`, authority }))
const signed = (...ids: string[]) => new Set(ids)

describe('rule 11: who must sign an application', () => {
  it('When one representative with sole authority signs, then it is enough at every level', () => {
    expect(representativesSuffice('EH4', reps('sole', 'joint'), signed('r0'))).toBe(true)
  })
  it('When not all representatives with joint authority signed, then it is not enough; when all did, it is', () => {
    expect(representativesSuffice('EH3', reps('joint', 'joint'), signed('r0'))).toBe(false)
    expect(representativesSuffice('EH3', reps('joint', 'joint'), signed('r0', 'r1'))).toBe(true)
  })
  it('When limited representatives sign for EH2/EH2+, then two are needed', () => {
    expect(representativesSuffice('EH2_PLUS', reps('limited', 'limited', 'limited'), signed('r0'))).toBe(false)
    expect(representativesSuffice('EH2', reps('limited', 'limited', 'limited'), signed('r0', 'r2'))).toBe(true)
  })
  it('When limited representatives sign for EH3, then a majority is needed', () => {
    expect(representativesSuffice('EH3', reps('limited', 'limited', 'limited', 'limited'), signed('r0', 'r1'))).toBe(false)
    expect(representativesSuffice('EH3', reps('limited', 'limited', 'limited', 'limited'), signed('r0', 'r1', 'r2'))).toBe(true)
  })
  it('When limited representatives sign for EH4, then it is never enough', () => {
    expect(representativesSuffice('EH4', reps('limited', 'limited', 'limited'), signed('r0', 'r1', 'r2'))).toBe(false)
  })
})
