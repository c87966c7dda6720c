/**
 * The `AccessDeniedDetail` of a `NoPermission` error (protocol.md §8), which the official SDKs
 * surface as `err.accessDeniedDetail` / `err.data.AccessDeniedDetail`.
 */
import { z } from 'zod'
import type { AuthzRequest, Decision } from './evaluate-policy.ts'

/** A decision that denies. */
export type DenyDecision = Exclude<Decision, { effect: 'Allow' }>

/** Who was denied. */
export interface DeniedPrincipal {
  /** The user name, shown as `AuthPrincipalDisplayName`. */
  readonly userName: string
  /** Account id that owns the user (`AuthPrincipalOwnerId`). */
  readonly ownerId: string
  /** Temporary credentials (console sign-in, SecurityToken): reported as `AssumedRoleUser`. */
  readonly temporary: boolean
}

/** Wire object, PascalCase as DAS sends it. */
export interface AccessDeniedDetail {
  readonly PolicyType: 'AccountLevelIdentityBasedPolicy'
  readonly AuthPrincipalOwnerId: string
  readonly EncodedDiagnosticMessage: string
  readonly AuthPrincipalType: 'SubUser' | 'AssumedRoleUser'
  readonly AuthPrincipalDisplayName: string
  readonly NoPermissionType: DenyDecision['effect']
  readonly AuthAction: string
}

const diagnosticSchema = z.object({
  v: z.literal(1),
  noPermissionType: z.enum(['ImplicitDeny', 'ExplicitDeny']),
  action: z.string(),
  resource: z.string(),
  userName: z.string(),
  /** The policy whose Deny matched; absent for ImplicitDeny. */
  policyName: z.string().optional(),
})

/** What `EncodedDiagnosticMessage` carries, for `decodeDiagnosticMessage`. */
export type DiagnosticMessage = z.infer<typeof diagnosticSchema>

/**
 * Builds the detail. The diagnostic message is base64 JSON: opaque to SDKs (Alibaba's is too) but
 * decodable by an administrator with {@link decodeDiagnosticMessage}. It names the denying policy
 * of an ExplicitDeny, which the denied user may see: policy names are not secrets here.
 */
export function buildAccessDeniedDetail(
  decision: DenyDecision,
  request: Pick<AuthzRequest, 'action' | 'resource'>,
  principal: DeniedPrincipal
): AccessDeniedDetail {
  const diagnostic: DiagnosticMessage = {
    v: 1,
    noPermissionType: decision.effect,
    action: request.action,
    resource: request.resource,
    userName: principal.userName,
    ...(decision.effect === 'ExplicitDeny' ? { policyName: decision.policyName } : {}),
  }
  return {
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    AuthPrincipalOwnerId: principal.ownerId,
    EncodedDiagnosticMessage: Buffer.from(JSON.stringify(diagnostic)).toString('base64'),
    AuthPrincipalType: principal.temporary ? 'AssumedRoleUser' : 'SubUser',
    AuthPrincipalDisplayName: principal.userName,
    NoPermissionType: decision.effect,
    AuthAction: request.action,
  }
}

/** Reads an `EncodedDiagnosticMessage` back; `undefined` when it is not one of ours. */
export function decodeDiagnosticMessage(encoded: string): DiagnosticMessage | undefined {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))
  } catch {
    return undefined
  }
  const result = diagnosticSchema.safeParse(value)
  return result.success ? result.data : undefined
}
