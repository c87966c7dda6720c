/**
 * The checks of DescribeCallerPermissions: parsed from `Checks`, then decided one by one with
 * the policy engine that authorizes real requests (evaluate-policy.ts), so an answer here is
 * the answer the real call would get under the same conditions.
 */
import {
  evaluatePolicies,
  type AuthzContext,
  type NamedPolicy,
} from '../../authz/evaluate-policy.ts'
import { invalid } from '../params.ts'

/** Most checks one call may ask: a console page asks ≤ 10 per instance shown, in calls of 50. */
export const MAX_CHECKS = 50

/** One question: may the caller call `action` on `resource`? */
export interface PermissionCheck {
  /** `<ram-code>:<Action>`, e.g. `hdm:KillRedisSessions`. */
  action: string
  /** An instance ARN or `*`. */
  resource: string
}

/** The answer, as sent (PascalCase). */
export interface PermissionResult {
  Action: string
  Resource: string
  Allowed: boolean
  /** Why not, for people; absent when allowed. */
  Reason?: string
}

// A RAM action as policies name it; no wildcard: a check asks about one action.
const ACTION_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,31}:[A-Za-z][A-Za-z0-9]{0,95}$/
// `*`, or an ARN: printable, no spaces (statement resources are globs over such strings).
const RESOURCE_PATTERN = /^(\*|acs:[\x21-\x7e]{1,252})$/
// Items of ~100 characters: a generous ceiling on the JSON text of MAX_CHECKS of them.
export const MAX_CHECKS_JSON = 32_768

/**
 * Parses `Checks`, a JSON array of 1–{@link MAX_CHECKS} `{"Action", "Resource"?}`; a missing
 * `Resource` is `defaultResource`. Throws `InvalidParams` naming the first problem and its index.
 */
export function parseChecks(text: string, defaultResource: string): PermissionCheck[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.slice(0, 120) : 'unreadable'
    invalid(`Checks is not valid JSON (${reason})`)
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    invalid('Checks must be a non-empty JSON array of {"Action", "Resource"?}')
  }
  const items: unknown[] = parsed
  if (items.length > MAX_CHECKS) {
    invalid(`Checks lists ${items.length} checks; at most ${MAX_CHECKS} per call`)
  }
  return items.map((item, index) => checkOf(item, index, defaultResource))
}

function checkOf(item: unknown, index: number, defaultResource: string): PermissionCheck {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    invalid(`Checks[${index}] must be an object {"Action", "Resource"?}`)
  }
  const action: unknown = Reflect.get(item, 'Action')
  const resource: unknown = Reflect.get(item, 'Resource') ?? defaultResource
  if (typeof action !== 'string' || !ACTION_PATTERN.test(action)) {
    invalid(`Checks[${index}].Action must be a RAM action such as hdm:KillRedisSessions`)
  }
  if (typeof resource !== 'string' || !RESOURCE_PATTERN.test(resource)) {
    invalid(
      `Checks[${index}].Resource must be * or an ARN such as acs:hdm:*:*:instance/r-prod (no spaces, at most 256 characters)`
    )
  }
  return { action, resource }
}

/** Decides every check against the caller's policies in the request's context. */
export function decideChecks(
  policies: readonly NamedPolicy[],
  checks: readonly PermissionCheck[],
  context: AuthzContext
): PermissionResult[] {
  return checks.map(({ action, resource }) => {
    const decision = evaluatePolicies(policies, { action, resource, context })
    const answer = { Action: action, Resource: resource }
    if (decision.effect === 'Allow') return { ...answer, Allowed: true }
    const reason =
      decision.effect === 'ExplicitDeny'
        ? `policy ${decision.policyName} denies ${action} on ${resource} (ExplicitDeny)`
        : `no attached policy allows ${action} on ${resource} (ImplicitDeny)`
    return { ...answer, Allowed: false, Reason: reason }
  })
}

/** Every check refused for one reason (an attached policy that no longer parses). */
export function refuseChecks(
  checks: readonly PermissionCheck[],
  reason: string
): PermissionResult[] {
  return checks.map(({ action, resource }) => ({
    Action: action,
    Resource: resource,
    Allowed: false,
    Reason: reason,
  }))
}
