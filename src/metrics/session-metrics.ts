import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import { CoreError } from '../core/errors.ts'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import { InstanceNotFoundError } from '../service/instance-sessions.ts'
import { summarizeSnapshot, type InstanceSummary, type NodeCounts } from './summarize-snapshot.ts'

/** `node` label of a collection that failed before any node was asked (topology discovery). */
export const TOPOLOGY_NODE = 'topology'

/** Options of {@link createSessionMetrics}. */
export interface SessionMetricsOptions {
  idleThresholdSeconds: number
  topSources?: number | undefined
  /** An instance not collected for this long is dropped from the export (deleted, or nobody asks). */
  staleAfterMs: number
  now: () => number
}

/** Gauges fed by collections; counters and histogram of the collections themselves. */
export interface SessionMetrics {
  readonly recordSnapshot: (instanceId: string, snapshot: SessionsSnapshot, tookMs: number) => void
  /** A collection that failed as a whole; an unknown instance (deleted) loses its series. */
  readonly recordFailure: (instanceId: string, error: unknown, tookMs: number) => void
  /** Drops stale instances and rewrites the gauges from the latest summaries (before a scrape). */
  readonly refresh: () => void
}

interface InstanceState {
  at: number
  summary: InstanceSummary
  /** `node\ncode` label pairs of the errors counter, to remove them with the instance or node. */
  errorLabels: Set<string>
}

const NODE_LABELS = ['instance', 'node', 'role'] as const
type NodeLabel = (typeof NODE_LABELS)[number]
const NODE_GAUGES: readonly [keyof NodeCounts, string, string][] = [
  ['sessions', 'sessions', 'Client sessions of the node at the last collection'],
  ['active', 'active_sessions', 'Sessions with idle = 0 (ActiveCount)'],
  ['idle', 'idle_sessions', 'Sessions idle for at least REDIS_SESSIONS_IDLE_THRESHOLD_S'],
  ['blocked', 'blocked_sessions', 'Sessions in a blocking command (flag b)'],
  ['pubsub', 'pubsub_sessions', 'Sessions subscribed to a channel, pattern or shard channel'],
  ['outputBufferBytes', 'output_buffer_bytes', 'Sum of the sessions output buffers (omem), bytes'],
]
const COLLECT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Registers the per-instance and per-node metrics in `registry` (see docs/metrics.md). */
export function createSessionMetrics(
  registry: Registry,
  options: SessionMetricsOptions
): SessionMetrics {
  const registers = [registry]
  const nodeGauges = NODE_GAUGES.map(([field, suffix, help]) => {
    const gauge = new Gauge<NodeLabel>({
      name: `redis_sessions_${suffix}`,
      help,
      labelNames: NODE_LABELS,
      registers,
    })
    return { field, gauge }
  })
  const nodeUp = new Gauge<NodeLabel>({
    name: 'redis_sessions_node_up',
    help: '1 when the node answered CLIENT LIST at the last collection, else 0',
    labelNames: NODE_LABELS,
    registers,
  })
  const sources = new Gauge<'instance' | 'source'>({
    name: 'redis_sessions_source_sessions',
    help: 'Sessions per client address, top 20 per instance, the rest as source="others"',
    labelNames: ['instance', 'source'],
    registers,
  })
  const lastCollect = new Gauge<'instance'>({
    name: 'redis_sessions_last_collect_timestamp_seconds',
    help: 'When the instance was last collected (the gauges are that old), seconds since the epoch',
    labelNames: ['instance'],
    registers,
  })
  const duration = new Histogram<'instance'>({
    name: 'redis_sessions_collect_duration_seconds',
    help: 'Time to collect an instance (topology discovery and CLIENT LIST on every node)',
    labelNames: ['instance'],
    buckets: COLLECT_BUCKETS,
    registers,
  })
  const errors = new Counter<'instance' | 'node' | 'code'>({
    name: 'redis_sessions_collect_errors_total',
    help: 'Nodes that failed a collection, by error code; node="topology" when discovery failed',
    labelNames: ['instance', 'node', 'code'],
    registers,
  })
  const states = new Map<string, InstanceState>()

  const countError = (state: InstanceState, instance: string, node: string, code: string) => {
    errors.inc({ instance, node, code })
    state.errorLabels.add(`${node}\n${code}`)
  }
  const stateOf = (instanceId: string): InstanceState => {
    let state = states.get(instanceId)
    if (state === undefined) {
      state = { at: 0, summary: { nodes: [], sources: [] }, errorLabels: new Set() }
      states.set(instanceId, state)
    }
    return state
  }
  const forget = (instance: string) => {
    const state = states.get(instance)
    if (state === undefined) return
    for (const pair of state.errorLabels) removeError(instance, pair)
    duration.remove({ instance })
    states.delete(instance)
  }
  const removeError = (instance: string, pair: string) => {
    const [node = '', code = ''] = pair.split('\n')
    errors.remove({ instance, node, code })
  }

  return {
    recordSnapshot(instanceId, snapshot, tookMs) {
      const state = stateOf(instanceId)
      state.at = options.now()
      state.summary = summarizeSnapshot(snapshot, options)
      duration.observe({ instance: instanceId }, tookMs / 1000)
      const present = new Set(snapshot.outcomes.map((outcome) => outcome.node.nodeId))
      for (const pair of state.errorLabels) {
        const node = pair.split('\n', 1)[0] ?? ''
        // A node gone from the topology takes its error series with it.
        if (node !== TOPOLOGY_NODE && !present.has(node)) {
          removeError(instanceId, pair)
          state.errorLabels.delete(pair)
        }
      }
      for (const outcome of snapshot.outcomes) {
        if (!outcome.ok) countError(state, instanceId, outcome.node.nodeId, outcome.error.code)
      }
    },
    recordFailure(instanceId, error, tookMs) {
      if (error instanceof InstanceNotFoundError) return forget(instanceId)
      const state = stateOf(instanceId)
      state.at = options.now()
      // Nothing answered: the known nodes are down, their counts unknown.
      const nodes = state.summary.nodes.map((node) => ({ ...node, counts: undefined }))
      state.summary = { nodes, sources: [] }
      duration.observe({ instance: instanceId }, tookMs / 1000)
      const code = error instanceof CoreError ? error.code : 'Internal'
      countError(state, instanceId, TOPOLOGY_NODE, code)
    },
    refresh() {
      const oldest = options.now() - options.staleAfterMs
      for (const [instance, state] of states) if (state.at < oldest) forget(instance)
      for (const { gauge } of nodeGauges) gauge.reset()
      nodeUp.reset()
      sources.reset()
      lastCollect.reset()
      for (const [instance, { at, summary }] of states) {
        lastCollect.set({ instance }, at / 1000)
        for (const { source, count } of summary.sources) sources.set({ instance, source }, count)
        for (const { nodeId: node, role, counts } of summary.nodes) {
          const labels = { instance, node, role }
          nodeUp.set(labels, counts === undefined ? 0 : 1)
          if (counts === undefined) continue
          for (const { field, gauge } of nodeGauges) gauge.set(labels, counts[field])
        }
      }
    },
  }
}
