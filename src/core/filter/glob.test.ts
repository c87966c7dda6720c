import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compileGlob, compileGlobs } from './glob.ts'

/** Reference semantics: the textbook RegExp translation (fine for the tiny inputs used here). */
function reference(pattern: string, input: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 's').test(input)
}

void describe('compileGlob', () => {
  void it('matches examples', () => {
    const cases: [string, string, boolean][] = [
      ['*', '', true],
      ['hdm:Get*', 'hdm:GetRedisAllSession', true],
      ['hdm:Get*', 'hdm:Kill', false],
      ['acs:hdm:*:*:instance/team-a-*', 'acs:hdm:*:*:instance/team-a-1', true],
      ['acs:hdm:*:*:instance/team-a-*', '*', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['*a*b', 'xaxxb', true],
      ['*a*b', 'xaxxbx', false],
      ['exact', 'exact', true],
      ['exact', 'Exact', false],
    ]
    for (const [pattern, input, expected] of cases) {
      assert.equal(compileGlob(pattern)(input), expected, `${pattern} vs ${input}`)
    }
  })

  void it('agrees with the RegExp translation on random patterns and inputs', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '.'), maxLength: 8 })
    const input = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*'), maxLength: 10 })
    fc.assert(
      fc.property(pattern, input, (p, i) => compileGlob(p)(i) === reference(p, i)),
      { numRuns: 2000 }
    )
  })

  void it('does not backtrack exponentially on adversarial patterns', () => {
    // A backtracking RegExp needs ~30^15 steps here; the scan needs ~30 × 50.
    const pattern = `${'*a'.repeat(15)}*b`
    assert.equal(compileGlob(pattern)('a'.repeat(50)), false)
  })
})

void describe('compileGlobs', () => {
  void it('matches when any pattern matches', () => {
    const match = compileGlobs(['hdm:Kill*', 'hdm:Delete*'])
    assert.deepStrictEqual(
      ['hdm:KillRedisSessions', 'hdm:DeleteRedisInstance', 'hdm:GetRedisAllSession'].map(match),
      [true, true, false]
    )
  })
})
