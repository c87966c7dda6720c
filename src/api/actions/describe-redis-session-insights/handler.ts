import { isComplete } from '../../../core/collect/sessions-snapshot.ts'
import { DEFAULT_LEAK_SAMPLES, findLeakSuspects } from '../../../core/insights/leak-suspects.ts'
import {
  DEFAULT_LIST_LIMIT,
  DEFAULT_OUTPUT_BUFFER_THRESHOLD_BYTES,
  DEFAULT_TOP_SOURCES,
  summarizeInsights,
} from '../../../core/insights/session-insights.ts'
import { OTHERS_KEY } from '../../../service/history/snapshot-points.ts'
import { instanceArn } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { snapshotOf } from '../get-redis-all-session/handler.ts'
import { instanceIdParam, integerParam } from '../params.ts'
import { recentSourceSamples } from './leak-history.ts'
import { presentInsights } from './present-insights.ts'

/** Parsed parameters of DescribeRedisSessionInsights. */
export interface InsightsParams {
  instanceId: string
  /** Absent = the server's `REDIS_SESSIONS_IDLE_THRESHOLD_S` (`Services.idleThresholdSeconds`). */
  idleThresholdSeconds: number | undefined
  outputBufferThresholdBytes: number
  leakSamples: number
}

/**
 * Reads the parameters; every threshold has a default (contract: the form is ours). The idle
 * threshold's is the server's setting, known only to the handler.
 */
export function parseInsightsParams(params: ReadonlyMap<string, string>): InsightsParams {
  const int = (name: string, min: number, max: number, fallback: number) =>
    integerParam(params, name, { min, max, fallback }) ?? fallback
  return {
    instanceId: instanceIdParam(params),
    idleThresholdSeconds: integerParam(params, 'IdleThresholdSeconds', {
      min: 0,
      max: 100 * 365 * 86_400,
    }),
    outputBufferThresholdBytes: int(
      'OutputBufferThresholdBytes',
      0,
      Number.MAX_SAFE_INTEGER,
      DEFAULT_OUTPUT_BUFFER_THRESHOLD_BYTES
    ),
    leakSamples: int('LeakSamples', 1, 100, DEFAULT_LEAK_SAMPLES),
  }
}

/**
 * DescribeRedisSessionInsights (our extension, RAM `hdm:DescribeRedisSessionInsights`): what
 * operators look for in a session list (landscape §3), from one collection and the sampled
 * history — leak suspects (sources that grew at each of the last `LeakSamples` samples), idle
 * sessions, large output buffers, blocked clients, unnamed sessions, sessions per library.
 */
export const describeRedisSessionInsights = defineAction({
  name: 'DescribeRedisSessionInsights',
  ramAction: 'hdm:DescribeRedisSessionInsights',
  params: ['InstanceId', 'IdleThresholdSeconds', 'OutputBufferThresholdBytes', 'LeakSamples'],
  audited: false,
  parse: parseInsightsParams,
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(parsed, { services }) {
    // One setting, one meaning: without the parameter, "idle" is what the metrics count.
    const params = {
      ...parsed,
      idleThresholdSeconds: parsed.idleThresholdSeconds ?? services.idleThresholdSeconds,
    }
    const snapshot = await snapshotOf(params.instanceId, (id) => services.sessions.get(id))
    const aliasOf = await services.aliasesFor(params.instanceId)
    const insights = summarizeInsights(snapshot, {
      idleThresholdSeconds: params.idleThresholdSeconds,
      outputBufferThresholdBytes: params.outputBufferThresholdBytes,
      topSources: DEFAULT_TOP_SOURCES,
      listLimit: DEFAULT_LIST_LIMIT,
    })
    const now = services.now().getTime()
    const samples = await recentSourceSamples(
      services.store,
      params.instanceId,
      params.leakSamples + 1,
      now
    )
    const suspects = findLeakSuspects(samples, params.leakSamples, new Set([OTHERS_KEY]))
    const meta = { ...params, timestamp: snapshot.timestamp, complete: isComplete(snapshot) }
    return { data: presentInsights(insights, suspects, meta, aliasOf) }
  },
})
