import type { AuthzContext } from '../authz/evaluate-policy.ts'
import type { ApiError } from '../errors/api-error.ts'
import type { VerifiedCaller } from '../signature/credential.ts'
import type { Services } from '../services.ts'

/** Who is calling and from where: what a handler and the audit log know of a request. */
export interface ActionContext {
  requestId: string
  caller: VerifiedCaller
  sourceIp: string
  services: Services
  /**
   * The condition keys the RAM check of this request used (source IP, HTTPS, time…); absent
   * outside the RPC pipeline (the CLI's local identity calls).
   */
  authz?: AuthzContext
  /**
   * Set for a {@link ActionDefinition.scopedListing} call without an instance: the listing
   * shows only what `allows`; when that is nothing and `denial` is set, the handler throws it.
   */
  scope?: ListingScope
}

/** What a caller may see of a listing, one instance ARN at a time. */
export interface ListingScope {
  allows(resource: string): boolean
  /** The `NoPermission` the caller got on `*`, if it did. */
  denial?: ApiError
}

/**
 * What a handler returns: `Data` as a value, or as JSON already serialized, text or UTF-8
 * bytes (large replies); `extra` adds top-level fields beside `Data` (e.g. `Killed`).
 */
export type ActionResult = ({ data: unknown } | { dataJson: string | Buffer }) & {
  extra?: Readonly<Record<string, unknown>>
  /** Short summary for the audit log's `Detail`. */
  audit?: Readonly<Record<string, string | number | boolean | null>>
}

/** One RPC action (one folder under `actions/`): how to read its parameters, authorize and run it. */
export interface ActionDefinition<Params> {
  /** `Action` parameter value, e.g. `GetRedisAllSession`. */
  readonly name: string
  /** RAM action checked by policies, e.g. `hdm:GetRedisAllSession`. */
  readonly ramAction: string
  /** Business parameters this action accepts; any other non-protocol parameter is `InvalidParams`. */
  readonly params: readonly string[]
  /** Validates the parameters; throws `ApiError` (`InvalidParams`, `MissingParameter`). */
  parse(params: ReadonlyMap<string, string>): Params
  /** The resource the policy check uses: an instance ARN or `*`. */
  resource(params: Params): string
  /** Instance concerned, for the audit log. */
  instanceOf?(params: Params): string | undefined
  /** Mutating actions are written to the audit log with their result. */
  readonly audited: boolean
  /**
   * Acts only on the caller's own credentials (console sign-out): any authenticated caller may
   * call it and RAM policies are not consulted. Default false.
   */
  readonly selfService?: boolean
  /**
   * A listing of instances (resource `*` when no instance is named), filtered by the caller's
   * policies instance by instance (`ActionContext.scope`): a team granted `instance/r-team-*`
   * sees its own instances (the console's list), a Deny on one instance hides it, and a caller
   * denied on `*` gets `NoPermission` only when no instance is allowed. Default false.
   */
  readonly scopedListing?: boolean
  handle(params: Params, context: ActionContext): Promise<ActionResult>
}

/** Erases the parameter type for the registry; `parse` and `handle` stay paired inside. */
export interface AnyAction {
  readonly name: string
  readonly ramAction: string
  readonly params: readonly string[]
  readonly audited: boolean
  /** See {@link ActionDefinition.selfService}. */
  readonly selfService: boolean
  /** See {@link ActionDefinition.scopedListing}. */
  readonly scopedListing: boolean
  prepare(params: ReadonlyMap<string, string>): PreparedAction
}

export interface PreparedAction {
  resource: string
  instanceId: string | undefined
  run(context: ActionContext): Promise<ActionResult>
}

/** Wraps a typed action so the registry can hold actions with different parameter types. */
export function defineAction<Params>(definition: ActionDefinition<Params>): AnyAction {
  return {
    name: definition.name,
    ramAction: definition.ramAction,
    params: definition.params,
    audited: definition.audited,
    selfService: definition.selfService ?? false,
    scopedListing: definition.scopedListing ?? false,
    prepare(raw) {
      const params = definition.parse(raw)
      return {
        resource: definition.resource(params),
        instanceId: definition.instanceOf?.(params),
        run: (context) => definition.handle(params, context),
      }
    },
  }
}
