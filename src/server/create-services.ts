import type { Logger } from 'pino'
import { createActionLimiter, NO_API_RATE_LIMITS } from '../api/rate-limit/throttle-action.ts'
import { createRateLimiter } from '../api/rate-limit/token-bucket.ts'
import type { Services } from '../api/services.ts'
import { createMemoryNonceStore, type NonceStore } from '../api/signature/nonce-store.ts'
import type { Config } from '../config/load-config.ts'
import type { Metrics } from '../metrics/create-metrics.ts'
import { ALIAS_CACHE_MS, createAliasResolver } from '../service/alias-resolver.ts'
import { createDeploymentResolver } from '../service/deployment-of-instance.ts'
import { createInstanceSessions } from '../service/instance-sessions.ts'
import type { Store } from '../store/store.ts'

/** The settings the services read; a {@link Config} has them all. */
export type ServicesSettings = Pick<
  Config,
  'nodeTimeoutMs' | 'resultCacheMs' | 'idleThresholdSeconds' | 'rateLimitPerSecond'
> & {
  /** Per-action limits; absent = none (the tests' apps). */
  apiRateLimits?: Config['apiRateLimits'] | undefined
}

/** What every collection reports to the metrics registry (a {@link Metrics} has it). */
export type CollectionHooks = Pick<Metrics, 'onSnapshot' | 'onCollectError'>

/** Options of {@link createServices}: what a caller may legitimately choose or replace. */
export interface ServicesOptions {
  /** Where actions and the pipeline log: the server's logger; tests and the CLI a silent one. */
  logger: Logger
  /** Fed by every collection of `sessions`; absent = collections are not measured. */
  metrics?: CollectionHooks | undefined
  /** Signature nonces; default an in-process store (replicas share the PostgreSQL one). */
  nonces?: NonceStore | undefined
  /** `Services.now`; default the wall clock. */
  now?: (() => Date) | undefined
  /**
   * How long `aliasesFor` reuses an instance's matcher, ms; default {@link ALIAS_CACHE_MS};
   * 0 = every call reads the store (a test sees an alias it just set).
   */
  aliasCacheMs?: number | undefined
  /**
   * Services replaced as given after everything is built (a collector that waits until told, a
   * limiter with its own burst, …). Nothing else is rebuilt: replacing `deploymentOf` does not
   * change what the built `sessions` resolves.
   */
  replace?: Partial<Omit<Services, 'store'>> | undefined
}

/**
 * The services of the API, built as the server runs them: `deploymentOf` with the per-node
 * timeout, single-flight `sessions` over it with the result cache and the metrics hooks, the
 * alias resolver, the nonce store, the per-AccessKeyId rate limiter (none when
 * `rateLimitPerSecond` is 0), the per-action limiter (none unless `apiRateLimits` names one), the logger and the clock. The one place they are assembled:
 * `startServer`, the API tests' apps and the CLI's local identity calls all use it and state
 * only what differs.
 */
export function createServices(
  store: Store,
  settings: ServicesSettings,
  options: ServicesOptions
): Services {
  const deploymentOf = createDeploymentResolver(store, settings.nodeTimeoutMs)
  const built: Services = {
    store,
    nonces: options.nonces ?? createMemoryNonceStore(),
    sessions: createInstanceSessions({
      resolve: deploymentOf,
      resultCacheMs: settings.resultCacheMs,
      onSnapshot: options.metrics?.onSnapshot,
      onCollectError: options.metrics?.onCollectError,
    }),
    rateLimiter:
      settings.rateLimitPerSecond === 0
        ? undefined
        : createRateLimiter({ ratePerSecond: settings.rateLimitPerSecond }),
    actionLimiter: createActionLimiter(settings.apiRateLimits ?? NO_API_RATE_LIMITS),
    deploymentOf,
    aliasesFor: createAliasResolver(store, { cacheMs: options.aliasCacheMs ?? ALIAS_CACHE_MS }),
    nodeTimeoutMs: settings.nodeTimeoutMs,
    idleThresholdSeconds: settings.idleThresholdSeconds,
    now: options.now ?? (() => new Date()),
    logger: options.logger,
  }
  return { ...built, ...options.replace }
}
