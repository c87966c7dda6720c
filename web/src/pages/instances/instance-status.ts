/** The live status of each listed instance: one GetRedisAllSession per instance, 3 at a time. */
import { useEffect, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { SessionsData } from '../../api/types.ts'

/** What the instance list shows in its status columns. */
export type InstanceStatus =
  | { state: 'loading' }
  | {
      state: 'ok' | 'partial'
      sessions: number
      nodes: number
      nodesOk: number
      /** Node errors, one line each, for the tooltip. */
      problems: string
      timestamp: number
    }
  | { state: 'error'; message: string }

/** Instances asked at once: each answer can be large (all sessions). */
const CONCURRENCY = 3

/** Statuses of `instanceIds`, filled in as answers arrive; asked again when `round` changes. */
export function useInstanceStatuses(
  instanceIds: readonly string[],
  round: number
): ReadonlyMap<string, InstanceStatus> {
  const { call } = useConsole()
  const [statuses, setStatuses] = useState<ReadonlyMap<string, InstanceStatus>>(new Map())
  const key = instanceIds.join(',')
  useEffect(() => {
    let cancelled = false
    const queue = [...instanceIds]
    setStatuses(new Map(instanceIds.map((id) => [id, { state: 'loading' }])))
    const set = (id: string, status: InstanceStatus) => {
      if (!cancelled) setStatuses((old) => new Map(old).set(id, status))
    }
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (cancelled) return
        try {
          set(id, statusOf(await call<SessionsData>('GetRedisAllSession', { InstanceId: id })))
        } catch (error) {
          set(id, {
            state: 'error',
            message: error instanceof RpcError ? error.describe() : String(error),
          })
        }
      }
    }
    void Promise.all(Array.from({ length: CONCURRENCY }, worker))
    return () => {
      cancelled = true
    }
    // `key` stands for instanceIds, a new array at each render.
  }, [key, round, call])
  return statuses
}

function statusOf(data: SessionsData): InstanceStatus {
  const nodes = data.Nodes ?? []
  const failed = nodes.filter((node) => node.Status !== 'ok')
  return {
    state: data.Complete === false ? 'partial' : 'ok',
    sessions: data.Total,
    nodes: nodes.length,
    nodesOk: nodes.length - failed.length,
    problems: failed
      .map((node) => `${node.NodeId}: ${node.Error?.Code ?? 'error'} ${node.Error?.Message ?? ''}`)
      .join('\n'),
    timestamp: data.Timestamp,
  }
}
