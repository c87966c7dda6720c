import { InvalidAliasError, normalizeCidr } from '../../../core/aliases/alias-matcher.ts'
import type { ClientAlias, Store } from '../../../store/store.ts'
import { ALL_RESOURCES, instanceArn } from '../../authz/resource-arn.ts'
import { ApiError } from '../../errors/api-error.ts'
import { instanceIdParam, invalid, requiredString } from '../params.ts'

/** Longest `Description` of an alias, characters (code points). */
export const MAX_ALIAS_DESCRIPTION = 128

/** An alias as the wire shows it (contract §5): `InstanceId` is `""` for a global alias. */
export interface PresentedAlias {
  Cidr: string
  Description: string
  InstanceId: string
}

/** The optional `InstanceId` of the alias actions: absent or empty = global scope. */
export function scopeParam(params: ReadonlyMap<string, string>): string | null {
  const given = params.get('InstanceId')
  return given === undefined || given === '' ? null : instanceIdParam(params)
}

/**
 * `Cidr`: an IPv4/IPv6 address or network, returned in the canonical form the store keys on
 * (`10.0.0.1` → `10.0.0.1/32`), so that `10.0.0.1` and `10.0.0.1/32` name one alias. A
 * network with host bits set is refused with the network to use instead (see `parseCidr`).
 */
export function cidrParam(params: ReadonlyMap<string, string>): string {
  const text = requiredString(params, 'Cidr', 64).trim()
  try {
    return normalizeCidr(text)
  } catch (error) {
    if (error instanceof InvalidAliasError) invalid(`Cidr: ${error.message}`)
    throw error
  }
}

/** `Description`: 1–128 characters, no control characters (it is shown in one table cell). */
export function descriptionParam(params: ReadonlyMap<string, string>): string {
  const text = requiredString(params, 'Description', 4 * MAX_ALIAS_DESCRIPTION)
  if ([...text].length > MAX_ALIAS_DESCRIPTION) {
    invalid(`Description is longer than ${MAX_ALIAS_DESCRIPTION} characters`)
  }
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  if (/[\u0000-\u001f\u007f]/.test(text)) invalid('Description must not contain control characters')
  return text
}

/** The resource of an alias action: the instance's ARN, or `*` for the global scope. */
export function aliasResource(instanceId: string | null): string {
  return instanceId === null ? ALL_RESOURCES : instanceArn(instanceId)
}

/** `InvalidInstanceId.NotFound` unless `instanceId` is null (global) or registered. */
export async function requireInstance(store: Store, instanceId: string | null): Promise<void> {
  if (instanceId === null) return
  if ((await store.instances.get(instanceId)) === undefined) {
    throw new ApiError('InvalidInstanceId.NotFound', { detail: `no instance ${instanceId}` })
  }
}

/** The wire form of a stored alias. */
export function presentAlias(alias: ClientAlias): PresentedAlias {
  return { Cidr: alias.cidr, Description: alias.description, InstanceId: alias.instanceId ?? '' }
}
