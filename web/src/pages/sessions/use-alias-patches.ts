/** Aliases edited in the console show at once, before the server's next listing carries them. */
import { useMemo, useRef, useState } from 'preact/hooks'
import type { Session, SessionsData } from '../../api/types.ts'

/**
 * The server resolves `ClientDesc` through a cache of 1 s and may serve a listing up to
 * 1 s old: a listing taken this long after the edit carries it.
 */
const SERVER_LAG_MS = 2500

interface Patch {
  alias: string
  at: number
}

/** The listing's sessions with fresh alias edits applied, and the callback for an edit. */
export function useAliasPatches(
  data: SessionsData | undefined,
  refresh: () => void
): { sessions: readonly Session[]; saved: (source: string, alias: string) => void } {
  const [patches, setPatches] = useState<ReadonlyMap<string, Patch>>(new Map())
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const sessions = useMemo(() => {
    const list = data?.Sessions ?? []
    const live = [...patches].filter(
      ([, patch]) => (data?.Timestamp ?? 0) < patch.at + SERVER_LAG_MS
    )
    if (live.length === 0) return list
    const bySource = new Map(live.map(([source, patch]) => [source, patch.alias]))
    return list.map((session) => {
      const alias = bySource.get(session.Client)
      return alias === undefined || alias === session.ClientDesc
        ? session
        : { ...session, ClientDesc: alias }
    })
  }, [data, patches])

  const saved = (source: string, alias: string) => {
    setPatches((old) => new Map(old).set(source, { alias, at: Date.now() }))
    clearTimeout(timer.current)
    timer.current = setTimeout(refresh, SERVER_LAG_MS)
  }
  return { sessions, saved }
}
