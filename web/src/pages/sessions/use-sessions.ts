/** The sessions of one instance: GetRedisAllSession, refreshed on demand or every N seconds. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { useConsole } from '../../api/console-context.ts'
import { RpcError } from '../../api/rpc.ts'
import type { SessionsData } from '../../api/types.ts'

/** Auto-refresh choices, seconds (0 = off): DAS refreshes every 30 s, Huawei 10/30/60. */
export const REFRESH_CHOICES = [0, 5, 10, 30, 60] as const

/** What the page knows about the listing. */
export interface SessionsState {
  /** The last successful answer (kept while a refresh runs or after it fails). */
  data: SessionsData | undefined
  /** Why the last call failed, cleared by the next success. */
  error: RpcError | undefined
  loading: boolean
  /** Asks now (a refresh already running is not doubled). */
  refresh: () => void
}

/** Lists `instanceId`'s sessions now and every `intervalSeconds` (0 = only on demand). */
export function useSessions(instanceId: string, intervalSeconds: number): SessionsState {
  const { call } = useConsole()
  const [data, setData] = useState<SessionsData>()
  const [error, setError] = useState<RpcError>()
  const [loading, setLoading] = useState(false)
  const running = useRef(false)
  const alive = useRef(true)

  const refresh = useCallback(() => {
    if (running.current) return
    running.current = true
    setLoading(true)
    call<SessionsData>('GetRedisAllSession', { InstanceId: instanceId })
      .then((answer) => {
        if (!alive.current) return
        setData(answer)
        setError(undefined)
      })
      .catch((caught: unknown) => {
        if (!alive.current) return
        setError(caught instanceof RpcError ? caught : new RpcError('Error', String(caught)))
      })
      .finally(() => {
        running.current = false
        if (alive.current) setLoading(false)
      })
  }, [call, instanceId])

  useEffect(() => {
    alive.current = true
    refresh()
    return () => {
      alive.current = false
    }
  }, [refresh])

  useEffect(() => {
    if (intervalSeconds <= 0) return
    const timer = setInterval(() => {
      // A hidden tab does not need fresh rows; it catches up when shown again.
      if (!document.hidden) refresh()
    }, intervalSeconds * 1000)
    return () => clearInterval(timer)
  }, [intervalSeconds, refresh])

  return { data, error, loading, refresh }
}
