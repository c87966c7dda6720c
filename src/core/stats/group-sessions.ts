import type { SessionsSnapshot } from '../collect/sessions-snapshot.ts'
import type { ClientSession } from '../sessions/client-session.ts'

/** Dimensions sessions can be grouped by (CLI `--by`, console statistics). */
export const GROUP_BY = ['ip', 'name', 'user', 'db', 'node', 'cmd', 'lib'] as const
export type GroupBy = (typeof GROUP_BY)[number]

/** One group: DAS `SourceStats` entry when grouping by `ip`. */
export interface SessionGroup {
  key: string
  count: number
  /** Sessions with `idle` = 0 (contract §3). */
  activeCount: number
  /** Session ids; ids are per node, so equal ids from different nodes can both appear. */
  ids: number[]
}

type KeyOf = (session: ClientSession, nodeId: string) => string

const KEY_OF: Record<GroupBy, KeyOf> = {
  ip: (session) => session.client,
  name: (session) => session.name,
  user: (session) => session.user ?? '',
  db: (session) => String(session.db),
  node: (_session, nodeId) => nodeId,
  cmd: (session) => session.cmd,
  lib: (session) => session.libName ?? '',
}

/**
 * Groups the snapshot's sessions, sorted by count descending then key (contract §3),
 * each group's ids in snapshot order (NodeId, then id). One pass, one Map.
 */
export function groupSessions(snapshot: SessionsSnapshot, by: GroupBy): SessionGroup[] {
  const keyOf = KEY_OF[by]
  const groups = new SessionGroups()
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    const nodeId = outcome.node.nodeId
    for (const session of outcome.sessions) {
      groups.add(keyOf(session, nodeId), session.id, session.idle)
    }
  }
  return groups.sorted()
}

/**
 * Groups built one session at a time; for callers that walk sessions without objects
 * (the DAS presenter reads the reply table). `sorted()` gives the contract §3 order.
 */
export class SessionGroups {
  private readonly groups = new Map<string, SessionGroup>()

  add(key: string, id: number, idleSeconds: number): void {
    let group = this.groups.get(key)
    if (group === undefined) {
      group = { key, count: 0, activeCount: 0, ids: [] }
      this.groups.set(key, group)
    }
    group.count++
    if (idleSeconds === 0) group.activeCount++
    group.ids.push(id)
  }

  /** By count descending, then key. */
  sorted(): SessionGroup[] {
    return [...this.groups.values()].sort(byCountThenKey)
  }
}

function byCountThenKey(a: SessionGroup, b: SessionGroup): number {
  return b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}
