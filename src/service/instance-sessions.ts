import { collectDeployment } from '../core/collect/collect-deployment.ts'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import type { DeploymentSpec } from '../core/topology/topology.ts'
import { statusOfError, statusOfSnapshot, type CollectionStatus } from './collection-status.ts'

/** No registered instance has this id. */
export class InstanceNotFoundError extends Error {
  readonly code = 'InstanceNotFound'
  constructor(readonly instanceId: string) {
    super(`instance ${instanceId} is not registered`)
    this.name = 'InstanceNotFoundError'
  }
}

export interface InstanceSessionsOptions {
  /** The deployment behind an instance id, with decrypted credentials; undefined = not registered. */
  resolve: (instanceId: string) => Promise<DeploymentSpec | undefined>
  /** Reuse a finished collection this long, ms; 0 = only share collections in flight. */
  resultCacheMs: number
  /** Overall deadline of one collection, ms. */
  deadlineMs?: number | undefined
  now?: () => number
  /** Called after every collection that produced a snapshot (metrics); must not throw. */
  onSnapshot?:
    ((instanceId: string, snapshot: SessionsSnapshot, tookMs: number) => void) | undefined
  /** Called when a collection failed as a whole (unknown instance, discovery); must not throw. */
  onCollectError?: ((instanceId: string, error: unknown, tookMs: number) => void) | undefined
}

export interface InstanceSessions {
  /**
   * The instance's sessions. Concurrent callers share one collection (single flight),
   * so 50 identical requests cost each node one CLIENT LIST; a result younger than
   * `resultCacheMs` is reused unless `fresh` is set.
   */
  get(instanceId: string, options?: { fresh?: boolean }): Promise<SessionsSnapshot>
  /** Forget the cached result (after a kill or a registry change). */
  invalidate(instanceId: string): void
  /**
   * What this process's most recent collection of the instance found (any caller: listings,
   * insights, the history sampler, and {@link collectAfresh}); undefined when
   * none since the process started or the last {@link forget}.
   */
  lastCollection(instanceId: string): CollectionStatus | undefined
  /**
   * A collection of `spec` of its own, neither shared nor cached (a kill acts on what is
   * connected now, and its listing is stale once it has killed): noted as the last collection
   * and reported to the metrics hooks like every other.
   */
  collectAfresh(instanceId: string, spec: DeploymentSpec): Promise<SessionsSnapshot>
  /**
   * After a registry change (add, modify, delete): drops the cached result and the last
   * collection, and keeps collections already running from being noted as the last one.
   */
  forget(instanceId: string): void
}

/** Builds the per-instance single-flight collector with its short result cache. */
export function createInstanceSessions(options: InstanceSessionsOptions): InstanceSessions {
  const now = options.now ?? Date.now
  const inFlight = new Map<string, Promise<SessionsSnapshot>>()
  const cached = new Map<string, { snapshot: SessionsSnapshot; at: number }>()
  /** A few numbers per instance (never the snapshot): bounded by the registry's size. */
  const last = new Map<string, CollectionStatus>()
  /** Bumped by `forget`: a collection started before it must not become the last one. */
  const generations = new Map<string, number>()

  function note(instanceId: string, status: CollectionStatus): void {
    const known = last.get(instanceId)
    if (known === undefined || status.time >= known.time) last.set(instanceId, status)
  }

  /** Runs one collection, notes it as the last (unless forgotten meanwhile), tells the hooks. */
  async function observed(
    instanceId: string,
    run: () => Promise<SessionsSnapshot>
  ): Promise<SessionsSnapshot> {
    const started = performance.now()
    const generation = generations.get(instanceId)
    const current = () => generations.get(instanceId) === generation
    let snapshot: SessionsSnapshot
    try {
      snapshot = await run()
    } catch (error) {
      if (!(error instanceof InstanceNotFoundError) && current()) {
        note(instanceId, statusOfError(error, now()))
      }
      options.onCollectError?.(instanceId, error, performance.now() - started)
      throw error
    }
    if (current()) note(instanceId, statusOfSnapshot(snapshot))
    options.onSnapshot?.(instanceId, snapshot, performance.now() - started)
    return snapshot
  }

  async function collect(instanceId: string): Promise<SessionsSnapshot> {
    const generation = generations.get(instanceId)
    const snapshot = await observed(instanceId, async () => {
      const spec = await options.resolve(instanceId)
      if (spec === undefined) throw new InstanceNotFoundError(instanceId)
      return collectDeployment(spec, { deadlineMs: options.deadlineMs })
    })
    // Made with settings a registry change has replaced since: answer the callers who asked
    // before the change, but never serve it to a later one.
    if (generations.get(instanceId) !== generation) return snapshot
    if (options.resultCacheMs > 0) {
      cached.set(instanceId, { snapshot, at: now() })
      // Drop the entry when it expires so a large snapshot is not held for idle instances.
      setTimeout(() => {
        if (cached.get(instanceId)?.snapshot === snapshot) cached.delete(instanceId)
      }, options.resultCacheMs).unref()
    }
    return snapshot
  }

  return {
    get(instanceId, { fresh = false } = {}) {
      const hit = cached.get(instanceId)
      if (!fresh && hit !== undefined && now() - hit.at < options.resultCacheMs) {
        return Promise.resolve(hit.snapshot)
      }
      let pending = inFlight.get(instanceId)
      if (pending === undefined) {
        const collection = collect(instanceId).finally(() => {
          if (inFlight.get(instanceId) === collection) inFlight.delete(instanceId)
        })
        pending = collection
        inFlight.set(instanceId, pending)
      }
      return pending
    },
    invalidate(instanceId) {
      cached.delete(instanceId)
    },
    lastCollection(instanceId) {
      return last.get(instanceId)
    },
    collectAfresh(instanceId, spec) {
      return observed(instanceId, () => collectDeployment(spec, { deadlineMs: options.deadlineMs }))
    },
    forget(instanceId) {
      cached.delete(instanceId)
      // A collection in flight was started with the old settings: later callers start anew.
      inFlight.delete(instanceId)
      last.delete(instanceId)
      generations.set(instanceId, (generations.get(instanceId) ?? 0) + 1)
    },
  }
}
