import { createAliasMatcher } from '../core/aliases/alias-matcher.ts'
import type { Store } from '../store/store.ts'

/** A matcher is rebuilt at most this often per instance, ms: the bound on alias staleness across replicas. */
export const ALIAS_CACHE_MS = 1000

/** Options of {@link createAliasResolver}. */
export interface AliasResolverOptions {
  now?: () => number
  /** How long a built matcher is reused, ms; default {@link ALIAS_CACHE_MS}; 0 = read the store every call (tests). */
  cacheMs?: number
}

/**
 * `ClientDesc` resolution per instance (contract §5): the instance's aliases and the global
 * ones, longest prefix, instance scope first. The prefix tree is built once per instance per
 * second (5,000 aliases ≈ 15 ms to build, ≈ 1–3 µs per lookup; `npm run bench -- aliases`).
 */
export function createAliasResolver(
  store: Store,
  options: AliasResolverOptions = {}
): (instanceId: string) => Promise<(client: string) => string> {
  const now = options.now ?? Date.now
  const cacheMs = options.cacheMs ?? ALIAS_CACHE_MS
  // The resolver function itself is cached too: while it is the same, callers may reuse what
  // they computed with it (GetRedisAllSession reuses its JSON for a shared snapshot).
  const cache = new Map<string, { aliasOf: (client: string) => string; at: number }>()
  return async (instanceId) => {
    const hit = cache.get(instanceId)
    if (hit !== undefined && now() - hit.at < cacheMs) return hit.aliasOf
    const matcher = createAliasMatcher(await store.aliases.list(instanceId))
    const aliasOf = matcher.forInstance(instanceId)
    if (cache.size > 10_000) cache.clear()
    cache.set(instanceId, { aliasOf, at: now() })
    return aliasOf
  }
}
