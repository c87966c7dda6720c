/**
 * Policy evaluation (protocol.md §12, "Evaluation"): a matching explicit Deny in any policy wins,
 * otherwise a matching Allow allows, otherwise the request is implicitly denied.
 */
import { compilePolicy } from './compile-policy.ts'
import { RequestFacts } from './condition-keys.ts'
import type { PolicyDocument } from './policy-document.ts'

/** A policy attached to the principal: its name (reported in decisions) and parsed document. */
export interface NamedPolicy {
  readonly name: string
  readonly document: PolicyDocument
}

/** The condition keys of one request. */
export interface AuthzContext {
  /** `acs:SourceIp`: the peer address; `::ffff:a.b.c.d` counts as `a.b.c.d`. */
  readonly sourceIp: string
  /** `acs:CurrentTime`. */
  readonly currentTime: Date
  /** `acs:SecureTransport`: the request came over HTTPS. */
  readonly secureTransport: boolean
  /** `acs:MFAPresent`. */
  readonly mfaPresent: boolean
  /** `acs:AccessId`: the AccessKeyId that signed the request. */
  readonly accessKeyId: string
  /** `acs:UserName` (our extension): the user owning the AccessKey. */
  readonly userName: string
}

/** What is being asked. */
export interface AuthzRequest {
  /** `<ram-code>:<Action>`, e.g. `hdm:GetRedisAllSession`; matched case-insensitively. */
  readonly action: string
  /** `instanceArn(id)` for actions on one instance, `*` for actions without an instance. */
  readonly resource: string
  readonly context: AuthzContext
}

/** The outcome; the policy named is the first that allowed, or the first that denied. */
export type Decision =
  | { readonly effect: 'Allow'; readonly policyName: string }
  | { readonly effect: 'ImplicitDeny' }
  | { readonly effect: 'ExplicitDeny'; readonly policyName: string }

/**
 * Decides one request against every policy of the principal. Pure; compiled documents are cached
 * per document object, so pass the same parsed documents each time.
 */
export function evaluatePolicies(
  policies: readonly NamedPolicy[],
  request: AuthzRequest
): Decision {
  const action = request.action.toLowerCase()
  const { resource } = request
  const facts = new RequestFacts(request.context)
  let allowedBy: string | undefined
  for (const policy of policies) {
    for (const statement of compilePolicy(policy.document)) {
      // Once allowed, only a Deny can change the outcome.
      if (statement.effect === 'Allow' && allowedBy !== undefined) continue
      if (!statement.matchesAction(action) || !statement.matchesResource(resource)) continue
      if (!statement.conditions.every((check) => check(facts))) continue
      if (statement.effect === 'Deny') return { effect: 'ExplicitDeny', policyName: policy.name }
      allowedBy = policy.name
    }
  }
  return allowedBy === undefined
    ? { effect: 'ImplicitDeny' }
    : { effect: 'Allow', policyName: allowedBy }
}
