/**
 * Client aliases (contract §5): `ClientDesc` of a session or `SourceStats` entry is the
 * description of the longest alias prefix containing the client address, instance scope first.
 * Pure: the caller loads the aliases from the store and builds one matcher per alias set.
 */
import { parseCidr } from './parse-cidr.ts'
import { createPrefixTree, type PrefixTree } from './prefix-tree.ts'
import { readClientAddress } from './read-client-address.ts'

export { InvalidAliasError, normalizeCidr } from './parse-cidr.ts'

/** One alias as stored: `instanceId` null for a global alias. */
export interface ClientAlias {
  /** IP or CIDR, IPv4 or IPv6; any form {@link normalizeCidr} accepts. */
  readonly cidr: string
  readonly description: string
  readonly instanceId: string | null
}

/** `ClientDesc` of a client address within one instance; `""` when no alias matches. */
export type ClientAliasOf = (client: string) => string

/** Resolves client addresses to alias descriptions. */
export interface AliasMatcher {
  /**
   * The description of the alias for `client` seen from instance `instanceId`: the longest
   * matching prefix among that instance's aliases; only when none of them matches, the longest
   * matching prefix among the global aliases. So an instance alias of any length (even /0) wins
   * over a global one, which is how "instance scope first" in contract §5 reads: an operator who
   * names a range for one instance means it for that instance. `""` when nothing matches and
   * for clients that are not IP addresses (unix socket paths, `?`).
   */
  aliasOf(instanceId: string, client: string): string
  /** {@link AliasMatcher.aliasOf} with the instance fixed: what the presenter takes as `AliasOf`. */
  forInstance(instanceId: string): ClientAliasOf
}

interface Scope {
  readonly v4: PrefixTree<string>
  readonly v6: PrefixTree<string>
}

/**
 * Parses every alias once and indexes them by scope and family. When two aliases of one scope
 * name the same network (`10.0.0.1` and `10.0.0.1/32`), the later one wins; the store keys
 * aliases by their canonical CIDR, so this only happens with hand-made input.
 * @throws InvalidAliasError for an alias whose CIDR does not parse or has host bits set.
 */
export function createAliasMatcher(aliases: readonly ClientAlias[]): AliasMatcher {
  const global = createScope()
  const instances = new Map<string, Scope>()
  for (const alias of aliases) {
    const cidr = parseCidr(alias.cidr)
    let scope = global
    if (alias.instanceId !== null) {
      scope = instances.get(alias.instanceId) ?? createScope()
      instances.set(alias.instanceId, scope)
    }
    scope[cidr.family === 'ipv4' ? 'v4' : 'v6'].insert(
      cidr.bytes,
      cidr.prefixLength,
      alias.description
    )
  }

  // Reused on every lookup: single-threaded, and nothing keeps a reference past the call.
  const v4 = new Uint8Array(4)
  const v6 = new Uint8Array(16)
  function resolve(scope: Scope | undefined, client: string): string {
    const family = readClientAddress(client, v4, v6)
    if (family === undefined) return ''
    if (family === 'ipv4') return scope?.v4.longestMatch(v4) ?? global.v4.longestMatch(v4) ?? ''
    return scope?.v6.longestMatch(v6) ?? global.v6.longestMatch(v6) ?? ''
  }

  return {
    aliasOf: (instanceId, client) => resolve(instances.get(instanceId), client),
    forInstance(instanceId) {
      const scope = instances.get(instanceId)
      return (client) => resolve(scope, client)
    },
  }
}

function createScope(): Scope {
  return { v4: createPrefixTree(32), v6: createPrefixTree(128) }
}
