import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import { isComplete } from '../../../core/collect/sessions-snapshot.ts'
import { sessionCount } from '../../../core/collect/node-outcome.ts'
import { NO_ALIASES } from '../../../core/aliases/alias-matcher.ts'
import { formatAddress } from '../../../core/redis/node-address.ts'
import { F_IDLE } from '../../../core/sessions/client-list-keys.ts'
import type { ClientListTable } from '../../../core/sessions/client-list-table.ts'
import type { ClientSession } from '../../../core/sessions/client-session.ts'
import { SessionGroups } from '../../../core/stats/group-sessions.ts'
import { JsonBytesWriter, jsonStringBytes } from '../../json/json-bytes-writer.ts'
import { writeRowsInWorker, type WorkerSegment } from './present-pool.ts'
import { writeSession, writeTableRows } from './write-session.ts'

/** Alias (`ClientDesc`) of a client address; `""` when none (contract §3, §5). */
export type AliasOf = (client: string) => string

/** Bytes kept before the sessions for `{"Timestamp":…,"Total":…,"Sessions":[` (≈ 60). */
const HEAD_ROOM = 128
/**
 * From this many sessions on, `presentAllSessionsJsonParallel` writes the second half on a
 * worker thread: below it, sharing the rows costs more than it saves.
 */
export const PARALLEL_MIN_SESSIONS = 4000

/** One node's sessions, as they are written: from its reply table, or from objects. */
interface Segment {
  node: string
  nodeIdBytes: Buffer
  table: ClientListTable | undefined
  sessions: readonly ClientSession[]
  count: number
}

/** What every way of writing needs: the segments in order and the aliases. */
interface Prepared {
  segments: Segment[]
  total: number
  aliasBytes: (client: string) => Buffer
  /** No client has an alias: every `ClientDesc` is `""`, no client needs resolving. */
  noAliases: boolean
}

/**
 * The `Data` object of GetRedisAllSession (contract §3) as UTF-8 JSON bytes. This is the
 * only place that knows the DAS PascalCase names (das-session-fields.ts). Sessions of a
 * collected node are written straight from the reply bytes (client-list-table.ts): no
 * session object and no string per field — a 48k-session reply is ~20 MB of JSON, and
 * building it from strings spent most of its time in garbage collection.
 */
export function presentAllSessionsJson(
  snapshot: SessionsSnapshot,
  aliasOf: AliasOf = NO_ALIASES
): Buffer {
  const prepared = prepare(snapshot, aliasOf)
  const w = new JsonBytesWriter(estimateBytes(snapshot), HEAD_ROOM)
  writeRange(w, prepared, 0, prepared.total)
  return finish(w, prepared, groupsOf(prepared), snapshot)
}

/**
 * `presentAllSessionsJson`, with the second half of a large answer written on a worker
 * thread while this one writes the first (the machine's other core idles otherwise). The
 * bytes are the same; when the worker cannot help, this thread writes everything.
 */
export async function presentAllSessionsJsonParallel(
  snapshot: SessionsSnapshot,
  aliasOf: AliasOf = NO_ALIASES
): Promise<Buffer> {
  const prepared = prepare(snapshot, aliasOf)
  const { total, segments } = prepared
  const w = new JsonBytesWriter(estimateBytes(snapshot), HEAD_ROOM)
  if (total < PARALLEL_MIN_SESSIONS || segments.some((segment) => segment.table === undefined)) {
    writeRange(w, prepared, 0, total)
    return finish(w, prepared, groupsOf(prepared), snapshot)
  }
  const middle = Math.floor(total / 2)
  const secondHalf = writeRowsInWorker(workerSegments(prepared, middle, total), middle > 0).then(
    (bytes) => bytes,
    () => undefined // the worker failed or is gone: written here below
  )
  writeRange(w, prepared, 0, middle)
  const groups = groupsOf(prepared) // while the worker writes
  const written = await secondHalf
  if (written === undefined) {
    writeRange(w, prepared, middle, total)
  } else {
    w.reserve(written.length)
    w.putBytes(written)
  }
  return finish(w, prepared, groups, snapshot)
}

function prepare(snapshot: SessionsSnapshot, aliasOf: AliasOf): Prepared {
  const segments: Segment[] = []
  let total = 0
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    const { table } = outcome
    const sessions = table === undefined ? outcome.sessions : []
    const count = table?.length ?? sessions.length
    const nodeIdBytes = jsonStringBytes(outcome.node.nodeId)
    segments.push({ node: outcome.node.nodeId, nodeIdBytes, table, sessions, count })
    total += count
  }
  return { segments, total, aliasBytes: aliasBytesOf(aliasOf), noAliases: aliasOf === NO_ALIASES }
}

/** `SourceStats`: every session by client. */
function groupsOf(prepared: Prepared): SessionGroups {
  const groups = new SessionGroups()
  for (const { table, sessions } of prepared.segments) {
    if (table !== undefined) {
      for (let i = 0; i < table.length; i++) {
        groups.add(table.client(i), table.id(i), table.number(i, F_IDLE) ?? 0)
      }
    } else {
      for (const session of sessions) groups.add(session.client, session.id, session.idle)
    }
  }
  return groups
}

/** Sessions `[from, to)` of the answer (counted over every segment), on this thread. */
function writeRange(w: JsonBytesWriter, prepared: Prepared, from: number, to: number): void {
  let offset = 0
  for (const segment of prepared.segments) {
    const start = Math.max(from - offset, 0)
    const end = Math.min(to - offset, segment.count)
    if (start < end) {
      const first = offset + start === 0
      const { table, nodeIdBytes } = segment
      if (table !== undefined) {
        const aliasOfRow = (i: number) => prepared.aliasBytes(table.client(i))
        writeTableRows(w, table, start, end, nodeIdBytes, aliasOfRow, first)
      } else {
        for (let i = start; i < end; i++) {
          if (!first || i > start) w.ascii(',')
          const session = segment.sessions[i] as ClientSession
          writeSession(w, session, nodeIdBytes, prepared.aliasBytes(session.client))
        }
      }
    }
    offset += segment.count
  }
}

/** What the worker needs for sessions `[from, to)`: shared rows, and each row's alias. */
function workerSegments(prepared: Prepared, from: number, to: number): WorkerSegment[] {
  const out: WorkerSegment[] = []
  let offset = 0
  for (const segment of prepared.segments) {
    const start = Math.max(from - offset, 0)
    const end = Math.min(to - offset, segment.count)
    const table = segment.table
    if (start < end && table !== undefined) {
      // Each distinct client's alias once, and per row the index of its client's alias.
      const aliases: string[] = ['""']
      const aliasIndex = new Int32Array(end - start)
      const indexOfClient = new Map<string, number>()
      for (let i = prepared.noAliases ? end : start; i < end; i++) {
        const client = table.client(i)
        let index = indexOfClient.get(client)
        if (index === undefined) {
          index = aliases.push(prepared.aliasBytes(client).toString('utf8')) - 1
          indexOfClient.set(client, index)
        }
        aliasIndex[i - start] = index
      }
      out.push({
        node: segment.node,
        nodeIdJson: segment.nodeIdBytes.toString('utf8'),
        rows: table.shared(),
        order: table.physicalRows(start, end),
        aliases,
        aliasIndex,
      })
    }
    offset += segment.count
  }
  return out
}

/** SourceStats, Nodes, Complete, and the head that holds `Total`. */
function finish(
  w: JsonBytesWriter,
  prepared: Prepared,
  groups: SessionGroups,
  snapshot: SessionsSnapshot
): Buffer {
  const { aliasBytes, total } = prepared
  w.ascii('],"SourceStats":[')
  groups.sorted().forEach((group, index) => {
    if (index > 0) w.ascii(',')
    w.ascii(`{"Key":`)
    w.string(group.key)
    w.ascii(`,"Count":"${group.count}","ActiveCount":"${group.activeCount}","Ids":[`)
    w.ascii(group.ids.join(','))
    w.ascii('],"ClientDesc":')
    const alias = aliasBytes(group.key)
    w.reserve(alias.length)
    w.putBytes(alias)
    w.ascii('}')
  })
  w.ascii('],"Nodes":')
  w.json(presentNodes(snapshot))
  w.ascii(`,"Complete":${isComplete(snapshot)}}`)
  // The head holds `Total`, known only now: it goes into room kept before the sessions.
  return w.withHead(`{"Timestamp":${snapshot.timestamp},"Total":${total},"Sessions":[`)
}

function estimateBytes(snapshot: SessionsSnapshot): number {
  let bytes = 4096
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    bytes +=
      outcome.table !== undefined ? outcome.table.bytes.length * 1.6 : sessionCount(outcome) * 500
  }
  return Math.ceil(bytes)
}

/** The alias of each client as JSON bytes, resolved once per distinct client (~200 for 50k sessions). */
function aliasBytesOf(aliasOf: AliasOf): (client: string) => Buffer {
  const cache = new Map<string, Buffer>()
  return (client) => {
    let bytes = cache.get(client)
    if (bytes === undefined) {
      bytes = jsonStringBytes(aliasOf(client))
      cache.set(client, bytes)
    }
    return bytes
  }
}

/** `Data.Nodes[]`: one entry per node with its status (contract §3 extensions). */
export function presentNodes(snapshot: SessionsSnapshot): PresentedNode[] {
  return snapshot.outcomes.map((outcome) => ({
    NodeId: outcome.node.nodeId,
    Address: formatAddress(outcome.node.address),
    Role: outcome.node.role,
    Shard: outcome.node.shard,
    Status: outcome.ok ? 'ok' : 'error',
    ...(outcome.ok ? {} : { Error: { Code: outcome.error.code, Message: outcome.error.message } }),
    Total: outcome.ok ? sessionCount(outcome) : 0,
    LatencyMs: Math.round(outcome.tookMs * 10) / 10,
  }))
}

export interface PresentedNode {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  Status: 'ok' | 'error'
  Error?: { Code: string; Message: string }
  Total: number
  LatencyMs: number
}
