/**
 * The status columns of the instance list, from each instance's `LastCollection`
 * (DescribeRedisInstances: what the server's sampler or latest listing found), so listing the
 * instances costs no Redis command; one instance can be collected again on demand.
 */
import type { LastCollection } from '../../api/types.ts'

/** What the instance list shows in its status columns. */
export type InstanceStatus =
  | { state: 'never' }
  | {
      state: 'ok' | 'partial'
      sessions: number
      active: number
      nodes: number
      nodesOk: number
      time: number
    }
  | { state: 'error'; code: string; message: string; nodes: number; time: number }

/** The status `LastCollection` describes (absent: `never`). */
export function statusOf(collection: LastCollection | undefined): InstanceStatus {
  if (collection === undefined) return { state: 'never' }
  if (collection.Error !== undefined) {
    return {
      state: 'error',
      code: collection.Error.Code,
      message: collection.Error.Message,
      nodes: collection.Nodes,
      time: collection.Time,
    }
  }
  return {
    state: collection.Complete ? 'ok' : 'partial',
    sessions: collection.Total,
    active: collection.Active,
    nodes: collection.Nodes,
    nodesOk: collection.Nodes - collection.FailedNodes,
    time: collection.Time,
  }
}
