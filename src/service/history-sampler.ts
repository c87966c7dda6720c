import type { Logger } from 'pino'
import { mapBounded } from '../core/collect/map-bounded.ts'
import type { CollectionStatus, HistoryPoint, Store } from '../store/store.ts'
import { statusOfError, statusOfSnapshot } from './collection-status.ts'
import { DOWNSAMPLED_RESOLUTION_MS, FULL_RESOLUTION_MS } from './history/downsample.ts'
import { snapshotPoints } from './history/snapshot-points.ts'
import { InstanceNotFoundError, type InstanceSessions } from './instance-sessions.ts'

/** Default retention of history points, hours (7 days; `REDIS_SESSIONS_HISTORY_RETENTION_H`). */
export const DEFAULT_HISTORY_RETENTION_HOURS = 168
/** Instances collected at once in one tick; each collection fans out to its nodes itself. */
const CONCURRENCY = 4
const PAGE_SIZE = 1000
/** Time between two downsamplings of the stored history, ms (1 hour). */
export const THIN_INTERVAL_MS = 3600 * 1000

/** Options of {@link createHistorySampler}. */
export interface HistorySamplerOptions {
  store: Store
  /** The server's single-flight collector: a tick shares collections with API traffic. */
  sessions: Pick<InstanceSessions, 'get'>
  logger: Pick<Logger, 'warn' | 'error'>
  /** Seconds between ticks (≥ 1); ticks are aligned to multiples of it since the epoch. */
  intervalSeconds: number
  /** Points older than this are deleted, hours; default {@link DEFAULT_HISTORY_RETENTION_HOURS}. */
  retentionHours?: number
  /**
   * Asked before every tick; `false` skips it. Several replicas share one store, and only one
   * of them should sample: a leadership lock (e.g. a PostgreSQL advisory lock) plugs in here.
   * Default: always true.
   */
  shouldSample?: () => Promise<boolean>
  now?: () => number
}

/** What one tick did. */
export interface SampleReport {
  /** `shouldSample` said no: nothing was collected or written. */
  skipped: boolean
  /** Instances whose points were written. */
  sampled: string[]
  /** Instances skipped this tick, with the reason (also logged). */
  failed: { instanceId: string; message: string }[]
  /** Points written. */
  points: number
  /** Points removed by retention. */
  deleted: number
  /** Points removed by downsampling (0 on the ticks between two hourly runs). */
  thinned: number
}

/** The periodic sampler of session counts behind `DescribeRedisSessionHistory`. */
export interface HistorySampler {
  /** Starts ticking every interval; a no-op when started. */
  start(): void
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>
  /**
   * One tick, stamped `now`: collects every registered instance once, writes all points in
   * one batch and each instance's collection status (`store.sampledCollections`, failures
   * included), applies retention and, once an hour, downsamples the stored history (the rule
   * of `history/downsample.ts`: older than 24 h → the latest sample of each 10 minutes). A
   * failing instance is skipped and logged; never throws for one instance (only when the
   * store itself fails).
   */
  sampleOnce(now?: number): Promise<SampleReport>
}

/** Builds the sampler; nothing runs until `start()` (or `sampleOnce()`). */
export function createHistorySampler(options: HistorySamplerOptions): HistorySampler {
  const { store, sessions, logger } = options
  const now = options.now ?? Date.now
  const intervalMs = Math.max(1, options.intervalSeconds) * 1000
  const retentionMs = (options.retentionHours ?? DEFAULT_HISTORY_RETENTION_HOURS) * 3600 * 1000
  const shouldSample = options.shouldSample ?? (() => Promise.resolve(true))
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  let started = false
  /** Stamp of the tick that last downsampled; undefined until the first one does. */
  let thinnedAt: number | undefined

  async function sampleOnce(time = now()): Promise<SampleReport> {
    const report: SampleReport = {
      skipped: false,
      sampled: [],
      failed: [],
      points: 0,
      deleted: 0,
      thinned: 0,
    }
    if (!(await shouldSample())) return { ...report, skipped: true }
    const instanceIds = await listInstanceIds(store)
    const statuses: { instanceId: string; status: CollectionStatus }[] = []
    const perInstance = await mapBounded(instanceIds, CONCURRENCY, async (instanceId) => {
      let status: CollectionStatus | undefined
      try {
        const snapshot = await sessions.get(instanceId)
        // Stamped no later than the tick's start: a listing that began before a registry change
        // and ended after it must not pass for one made with the new settings (`latestStatus`).
        status = { ...statusOfSnapshot(snapshot), time: Math.min(snapshot.timestamp, time) }
        statuses.push({ instanceId, status })
        const failedNodes = snapshot.outcomes.filter((outcome) => !outcome.ok).length
        if (failedNodes === snapshot.outcomes.length) throw new Error('no node answered')
        if (failedNodes > 0) {
          logger.warn({ instanceId, failedNodes }, 'history sample is partial: nodes failed')
        }
        return snapshotPoints(instanceId, snapshot, time)
      } catch (error) {
        // Not noted when deleted since the listing (nothing to say about it) or noted above.
        if (status === undefined && !(error instanceof InstanceNotFoundError)) {
          statuses.push({ instanceId, status: statusOfError(error, now()) })
        }
        const message = error instanceof Error ? error.message : String(error)
        logger.warn({ instanceId, err: error }, 'history sample skipped an instance')
        report.failed.push({ instanceId, message })
        return []
      }
    })
    report.points = await writePoints(perInstance, report)
    await writeStatuses(statuses)
    report.deleted = await store.history.deleteOlderThan(time - retentionMs)
    // `abs`: a clock set back (or a test going back in time) must not stop downsampling.
    if (thinnedAt === undefined || Math.abs(time - thinnedAt) >= THIN_INTERVAL_MS) {
      report.thinned = await store.history.thin({
        before: time - FULL_RESOLUTION_MS,
        bucketMs: DOWNSAMPLED_RESOLUTION_MS,
      })
      thinnedAt = time
    }
    return report
  }

  /**
   * Every instance's collection status, for `LastCollection` on every replica. A failure is
   * logged and costs only the statuses: the points are written already.
   */
  async function writeStatuses(statuses: { instanceId: string; status: CollectionStatus }[]) {
    try {
      await store.sampledCollections.record(statuses)
    } catch (error) {
      logger.error({ err: error }, 'history tick could not store the collection statuses')
    }
  }

  /** One batch; when it fails, instance by instance so one bad instance costs only its own. */
  async function writePoints(perInstance: HistoryPoint[][], report: SampleReport) {
    const written = perInstance.filter((points) => points.length > 0)
    try {
      await store.history.insertPoints(written.flat())
      report.sampled.push(...written.map((points) => points[0]?.instanceId ?? ''))
      return written.reduce((sum, points) => sum + points.length, 0)
    } catch (error) {
      logger.error({ err: error }, 'history batch failed; writing instance by instance')
    }
    let count = 0
    for (const points of written) {
      const instanceId = points[0]?.instanceId ?? ''
      try {
        await store.history.insertPoints(points)
        report.sampled.push(instanceId)
        count += points.length
      } catch (error) {
        logger.error({ instanceId, err: error }, 'history points of an instance not written')
        report.failed.push({ instanceId, message: 'points not written' })
      }
    }
    return count
  }

  function schedule(): void {
    if (!started) return
    const delay = intervalMs - (now() % intervalMs)
    timer = setTimeout(() => {
      running = sampleOnce()
        .catch((error: unknown) => logger.error({ err: error }, 'history tick failed'))
        .finally(() => {
          running = undefined
          schedule()
        })
    }, delay)
    // The HTTP server keeps the process alive; a pending tick must not.
    timer.unref()
  }

  return {
    start() {
      if (started) return
      started = true
      schedule()
    },
    async stop() {
      started = false
      clearTimeout(timer)
      await running
    },
    sampleOnce,
  }
}

async function listInstanceIds(store: Store): Promise<string[]> {
  const ids: string[] = []
  for (let page = 1; ; page++) {
    const { total, items } = await store.instances.list({ page, pageSize: PAGE_SIZE })
    ids.push(...items.map((instance) => instance.instanceId))
    if (items.length === 0 || ids.length >= total) return ids
  }
}
