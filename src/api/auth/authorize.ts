import { buildAccessDeniedDetail } from '../authz/access-denied-detail.ts'
import { evaluatePolicies, type AuthzContext, type NamedPolicy } from '../authz/evaluate-policy.ts'
import {
  parsePolicyDocument,
  PolicyDocumentError,
  type PolicyDocument,
} from '../authz/policy-document.ts'
import type { ListingScope } from '../actions/action.ts'
import { ApiError } from '../errors/api-error.ts'
import type { Store } from '../../store/store.ts'

/** Shown as `AuthPrincipalOwnerId`: one installation is one "account". */
export const ACCOUNT_ID = 'redis-sessions'

// Parsed documents keyed by their text: policies are re-read from the store on every
// request (so a change on any replica applies at once) but parsed once. Bounded.
const parsed = new Map<string, PolicyDocument>()
const MAX_PARSED = 1000

function parseCached(text: string): PolicyDocument {
  let document = parsed.get(text)
  if (document === undefined) {
    document = parsePolicyDocument(text)
    if (parsed.size >= MAX_PARSED) parsed.clear()
    parsed.set(text, document)
  }
  return document
}

/**
 * Allows the request or throws `NoPermission` (403) with `AccessDeniedDetail`: the
 * user's attached policies, explicit Deny wins, default deny (protocol.md §12).
 */
export async function authorize(
  store: Store,
  request: { action: string; resource: string; context: AuthzContext; temporary: boolean }
): Promise<void> {
  const policies = await attachedPolicies(store, request.context.userName)
  const decision = evaluatePolicies(policies, request)
  if (decision.effect === 'Allow') return
  throw new ApiError('NoPermission', {
    detail: `${request.action} on ${request.resource} is not allowed for ${request.context.userName}`,
    extra: {
      AccessDeniedDetail: buildAccessDeniedDetail(decision, request, {
        userName: request.context.userName,
        ownerId: ACCOUNT_ID,
        temporary: request.temporary,
      }),
    },
  })
}

/**
 * The policies attached to `userName`, parsed (what {@link authorize} evaluates). A stored
 * policy that no longer parses throws `NoPermission` naming it.
 */
export async function attachedPolicies(store: Store, userName: string): Promise<NamedPolicy[]> {
  const attached = await store.policies.listForUser(userName)
  return attached.map((policy) => {
    try {
      return { name: policy.name, document: parseCached(policy.document) }
    } catch (error) {
      // A stored policy that no longer parses (written around the API, or by an older
      // version) fails closed: ignoring it could drop a Deny. The caller is not at fault,
      // so the reason names the policy and asks for an administrator.
      if (!(error instanceof PolicyDocumentError)) throw error
      throw new ApiError('NoPermission', {
        detail: `attached policy ${policy.name} is invalid (${error.message}); ask an administrator to fix it`,
      })
    }
  })
}

/**
 * The scope of a listing: the caller's policies in the request's context, evaluated per
 * resource, with the `NoPermission` it got on `*` if it did (`denial`). A Deny on `*` denies
 * every ARN too (RAM matches `*` in a Resource as a wildcard).
 */
export async function listingScope(
  store: Store,
  request: { action: string; context: AuthzContext },
  denial: ApiError | undefined
): Promise<ListingScope> {
  const policies = await attachedPolicies(store, request.context.userName)
  return {
    allows: (resource) => evaluatePolicies(policies, { ...request, resource }).effect === 'Allow',
    ...(denial === undefined ? {} : { denial }),
  }
}
