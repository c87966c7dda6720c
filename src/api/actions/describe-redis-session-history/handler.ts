import { instanceArn } from '../../authz/resource-arn.ts'
import { defineAction } from '../action.ts'
import { instanceIdParam, invalid, optionalString, timeParam } from '../params.ts'
import {
  describeSessionHistory,
  HISTORY_GROUP_BYS,
  type SessionHistoryQuery,
} from './session-history.ts'

/** Range when `StartTime` is absent: the 6 hours before `EndTime`. */
export const DEFAULT_HISTORY_RANGE_MS = 6 * 3600 * 1000

/** The parameters as given; the time defaults depend on the moment the request runs. */
export type HistoryParams = Omit<SessionHistoryQuery, 'from' | 'to'> & {
  startTime: number | undefined
  endTime: number | undefined
}

/** Reads DescribeRedisSessionHistory's parameters; throws `InvalidParams`. */
export function parseHistoryParams(params: ReadonlyMap<string, string>): HistoryParams {
  const instanceId = instanceIdParam(params)
  const startTime = timeParam(params, 'StartTime')
  const endTime = timeParam(params, 'EndTime')
  const groupByText = params.get('GroupBy') || 'total'
  const groupBy = HISTORY_GROUP_BYS.find((g) => g === groupByText)
  if (groupBy === undefined) invalid(`GroupBy must be one of ${HISTORY_GROUP_BYS.join(', ')}`)
  const key = optionalString(params, 'Key', 512)
  if (key !== undefined && groupBy === 'total') invalid('Key needs a GroupBy other than total')
  return { instanceId, startTime, endTime, groupBy, key }
}

/**
 * The range to read at `now`: `EndTime` defaults to now and `StartTime` to 6 h before
 * `EndTime`. A start after the end is `InvalidParams`; a range wholly in the future is valid
 * and empty.
 */
export function historyQueryAt(params: HistoryParams, now: number): SessionHistoryQuery {
  const to = params.endTime ?? now
  const from = params.startTime ?? to - DEFAULT_HISTORY_RANGE_MS
  if (from > to) {
    invalid(
      params.endTime === undefined
        ? 'StartTime is in the future (EndTime defaults to now)'
        : 'StartTime must not be after EndTime'
    )
  }
  return { instanceId: params.instanceId, from, to, groupBy: params.groupBy, key: params.key }
}

/**
 * DescribeRedisSessionHistory (contract §5): the sampler's series of session counts of one
 * instance by source, node, name or user: `{Points:[{Timestamp, Total, Active, Groups}]}`.
 */
export const describeRedisSessionHistory = defineAction({
  name: 'DescribeRedisSessionHistory',
  ramAction: 'hdm:DescribeRedisSessionHistory',
  params: ['InstanceId', 'StartTime', 'EndTime', 'GroupBy', 'Key'],
  audited: false,
  parse: parseHistoryParams,
  resource: ({ instanceId }) => instanceArn(instanceId),
  instanceOf: ({ instanceId }) => instanceId,
  async handle(params, { services }) {
    const now = services.now().getTime()
    return { data: await describeSessionHistory(services.store, historyQueryAt(params, now), now) }
  },
})
