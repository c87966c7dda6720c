/**
 * Turns zod issues into the one-line `<JSON path>: <reason>` of PolicyDocumentError. zod reports a
 * failed union as "all branches failed"; for `"x" | ["x", …]` lists that hides the useful branch,
 * so we descend into the one branch whose input type matched.
 */
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

/** Path and reason of the first issue; the path is `document` for the top level. */
export function formatFirstIssue(issues: readonly Issue[]): { path: string; reason: string } {
  const [first] = issues
  if (first === undefined) return { path: 'document', reason: 'invalid' }
  const { path, reason } = describe(first, [])
  return { path: formatPath(path), reason }
}

function describe(
  issue: Issue,
  base: readonly PropertyKey[]
): { path: PropertyKey[]; reason: string } {
  const path = [...base, ...issue.path]
  if (issue.code === 'invalid_union') {
    const [inner] = matchingBranch(issue.errors) ?? []
    return inner === undefined ? { path, reason: issue.message } : describe(inner, path)
  }
  if (issue.code === 'unrecognized_keys') {
    // Point at the offending key itself: `Statement[0].Principal: unknown field`.
    return { path: [...path, issue.keys[0] ?? ''], reason: issue.message }
  }
  if (issue.code === 'invalid_key')
    return { path, reason: issue.issues[0]?.message ?? issue.message }
  return { path, reason: issue.message }
}

/** The only branch that got past the type check, if exactly one did. */
function matchingBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const typed = branches.filter((issues) => !issues.every(isTypeMismatch))
  return typed.length === 1 ? typed[0] : undefined
}

/** The input had the wrong JSON type for this schema (nested unions included), not a bad value. */
function isTypeMismatch(issue: Issue): boolean {
  if (issue.path.length > 0) return false
  if (issue.code === 'invalid_type') return true
  return issue.code === 'invalid_union' && issue.errors.every((b) => b.every(isTypeMismatch))
}

/** `['Statement', 1, 'Condition', 'IpAddress', 'acs:SourceIp', 0]` → `Statement[1].Condition…[0]`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? 'document' : out
}
