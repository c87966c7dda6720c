/** What a kill asks the server: explicit sessions, a filter dry-run, or every session. */
import type { RpcCall } from '../../api/rpc.ts'
import type { KillData, KillResult } from '../../api/types.ts'

/** `KillRedisSessions` takes at most 10,000 sessions per call; smaller calls keep bodies small. */
export const KILL_CHUNK = 5000

/** A session to kill, as KillRedisSessions names it. */
export interface KillTarget {
  NodeId: string
  Id: number
  Addr: string
  Name: string
}

/** Which kill the user asked for. */
export type KillPlan =
  /** The selected rows. */
  | { mode: 'selected'; targets: KillTarget[] }
  /** What a filter matches: previewed with `DryRun=true` before anything dies. */
  | {
      mode: 'filter'
      /** Server filter parameters, or `undefined` to preview `targets` (console-only filters). */
      filterParams: Record<string, string> | undefined
      targets: KillTarget[]
      description: string
    }
  /**
   * Every session. With `perSession` (the user may call KillRedisSessions) a dry run with a
   * filter every session matches lists what will die, and the kill sends that list, so results
   * come per session; otherwise KillInstanceAllSession, which answers only a count.
   */
  | { mode: 'all'; total: number; perSession: boolean }

/** `MinIdle=0`: a KillRedisSessions filter every session matches (idle ≥ 0 s). */
export const EVERY_SESSION: Readonly<Record<string, string>> = { MinIdle: '0' }

/** What a plan previews with a dry run first, or `undefined` when it has no preview. */
export function previewOf(
  plan: KillPlan
): { targets: KillTarget[]; filterParams: Record<string, string> | undefined } | undefined {
  if (plan.mode === 'filter') return plan
  if (plan.mode === 'all' && plan.perSession)
    return { targets: [], filterParams: { ...EVERY_SESSION } }
  return undefined
}

/**
 * Calls KillRedisSessions for `targets` in chunks (or once with `filterParams`), merging the
 * per-session results. `dryRun` only lists what would die.
 */
export async function runKill(
  call: RpcCall,
  instanceId: string,
  request: { targets: readonly KillTarget[]; filterParams?: Record<string, string> | undefined },
  dryRun: boolean
): Promise<KillData> {
  const base = { InstanceId: instanceId, ...(dryRun ? { DryRun: 'true' } : {}) }
  if (request.filterParams !== undefined) {
    return call<KillData>('KillRedisSessions', { ...base, ...request.filterParams })
  }
  const merged: KillData = { Killed: 0, Sessions: [] }
  for (let start = 0; start < request.targets.length; start += KILL_CHUNK) {
    const chunk = request.targets.slice(start, start + KILL_CHUNK)
    const sessions = JSON.stringify(chunk.map(({ NodeId, Id }) => ({ NodeId, Id })))
    const data = await call<KillData>('KillRedisSessions', { ...base, Sessions: sessions })
    merged.Killed += data.Killed
    merged.Sessions.push(...data.Sessions)
  }
  return merged
}

/** Count of each result kind, for the summary line. */
export function countResults(results: readonly KillResult[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const result of results) counts[result.Result] = (counts[result.Result] ?? 0) + 1
  return counts
}

/** The sessions a dry run says would die, as targets for the real kill. */
export function wouldKill(results: readonly KillResult[]): KillTarget[] {
  return results
    .filter((result) => result.Result === 'would-kill')
    .map(({ NodeId, Id, Addr, Name }) => ({ NodeId, Id, Addr, Name }))
}
