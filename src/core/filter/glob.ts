/**
 * Wildcard matching for client names (filters, kills) and for policies (Action, Resource,
 * `StringLike`): `*` is any run of characters (empty
 * included), `?` exactly one UTF-16 code unit; no escapes, as in RAM. Deliberately not a RegExp: a pattern such as
 * `*a*a*a*a*b` makes a backtracking regex exponential, while the two-pointer scan below is
 * O(pattern × input) in the worst case and linear for the usual shapes.
 */

/** A compiled matcher: true when the input matches one of the patterns. */
export type GlobMatcher = (input: string) => boolean

const STAR = 42 // '*'
const QUESTION = 63 // '?'

const always: GlobMatcher = () => true

/** Compiles one pattern into the cheapest matcher that is exact for it. */
export function compileGlob(pattern: string): GlobMatcher {
  const p = pattern.replace(/\*{2,}/g, '*')
  if (p === '*') return always
  const star = p.indexOf('*')
  if (!p.includes('?')) {
    if (star === -1) return (input) => input === p
    // `hdm:Get*`, `acs:hdm:*:*:instance/team-a-*`: the common shapes, a prefix test.
    if (star === p.length - 1) {
      const prefix = p.slice(0, -1)
      return (input) => input.startsWith(prefix)
    }
  }
  return (input) => wildcardMatch(p, input)
}

/** Compiles a list of patterns; the result matches when any pattern matches. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const matchers = patterns.map(compileGlob)
  if (matchers.includes(always)) return always
  const [only] = matchers
  if (matchers.length === 1 && only !== undefined) return only
  return (input) => matchers.some((match) => match(input))
}

/** Greedy scan that backtracks only to the most recent `*`. */
function wildcardMatch(pattern: string, input: string): boolean {
  let p = 0
  let i = 0
  let starP = -1
  let starI = 0
  while (i < input.length) {
    const c = pattern.charCodeAt(p)
    if (p < pattern.length && (c === QUESTION || (c !== STAR && c === input.charCodeAt(i)))) {
      p++
      i++
    } else if (p < pattern.length && c === STAR) {
      starP = p++
      starI = i
    } else if (starP !== -1) {
      p = starP + 1
      i = ++starI
    } else {
      return false
    }
  }
  while (pattern.charCodeAt(p) === STAR) p++
  return p === pattern.length
}
