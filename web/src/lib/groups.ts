/** Session counts by source, name, user, db, node, command or library (the Statistics tab). */
import type { Session } from '../api/types.ts'
import { NONE, type Filters } from './filters.ts'

/** Dimensions to group by, as the CLI's `--by`. */
export type GroupBy = 'ip' | 'name' | 'user' | 'db' | 'node' | 'cmd' | 'lib'

/** One dimension: its label and which filter input a click on a group sets. */
export interface Dimension {
  by: GroupBy
  label: string
  filter: keyof Filters
  keyOf: (session: Session) => string
}

/** By source address (`Client`): DAS's SourceStats. */
export const SOURCE: Dimension = {
  by: 'ip',
  label: 'Source',
  filter: 'clientIp',
  keyOf: (s) => s.Client,
}

/** Every dimension, in tab order. */
export const DIMENSIONS: readonly Dimension[] = [
  SOURCE,
  { by: 'name', label: 'Name', filter: 'name', keyOf: (s) => s.Name },
  { by: 'user', label: 'User', filter: 'user', keyOf: (s) => s.User ?? '' },
  { by: 'db', label: 'Db', filter: 'db', keyOf: (s) => String(s.Db) },
  { by: 'node', label: 'Node', filter: 'node', keyOf: (s) => s.NodeId },
  { by: 'cmd', label: 'Command', filter: 'cmd', keyOf: (s) => s.Cmd },
  { by: 'lib', label: 'Library', filter: 'libName', keyOf: (s) => s.LibName ?? '' },
]

/** One group. */
export interface Group {
  key: string
  count: number
  /** Sessions with Idle 0 (as DAS's console counts active). */
  active: number
  /** ClientDesc of the first session (the alias of a source). */
  alias: string
}

/** Groups `sessions` by `dimension`, largest first, then by key (as SourceStats). */
export function groupSessions(sessions: readonly Session[], dimension: Dimension): Group[] {
  const groups = new Map<string, Group>()
  for (const session of sessions) {
    const key = dimension.keyOf(session)
    let group = groups.get(key)
    if (group === undefined) {
      group = { key, count: 0, active: 0, alias: session.ClientDesc }
      groups.set(key, group)
    }
    group.count += 1
    if (session.Idle === 0) group.active += 1
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  )
}

/** What a click on a group puts in its filter input: the key, or `(none)` for an empty one. */
export function filterValueOf(key: string): string {
  return key === '' ? NONE : key
}
