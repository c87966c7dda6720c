import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import { isComplete } from '../../../core/collect/sessions-snapshot.ts'
import { sessionCount } from '../../../core/collect/node-outcome.ts'
import { formatAddress } from '../../../core/redis/node-address.ts'
import { F_IDLE } from '../../../core/sessions/client-list-keys.ts'
import {
  ABSENT,
  ROW_EXTRA,
  ROW_NEEDS_ESCAPE,
  ROW_NON_ASCII,
  type ClientListTable,
} from '../../../core/sessions/client-list-table.ts'
import type { ClientSession } from '../../../core/sessions/client-session.ts'
import { SessionGroups } from '../../../core/stats/group-sessions.ts'
import { JsonBytesWriter, jsonStringBytes } from '../../json/json-bytes-writer.ts'
import { DAS_KEYS_BYTES, DAS_SESSION_FIELDS, DasKind } from './das-session-fields.ts'

/** Alias (`ClientDesc`) of a client address; `""` when none (contract §3, §5). */
export type AliasOf = (client: string) => string

const NO_ALIAS: AliasOf = () => ''
const OPEN = 0x7b
const CLOSE = 0x7d
const QUOTE = 0x22
const ZERO = 0x30
/** Bytes kept before the sessions for `{"Timestamp":…,"Total":…,"Sessions":[` (≈ 60). */
const HEAD_ROOM = 128
/** Rows whose values all go out byte for byte; the others are written from objects. */
const SLOW_ROW = ROW_NON_ASCII | ROW_NEEDS_ESCAPE | ROW_EXTRA

/**
 * The `Data` object of GetRedisAllSession (contract §3) as UTF-8 JSON bytes. This is the
 * only place that knows the DAS PascalCase names (das-session-fields.ts). Sessions of a
 * collected node are written straight from the reply bytes (client-list-table.ts): no
 * session object and no string per field — a 48k-session reply is ~20 MB of JSON, and
 * building it from strings spent most of its time in garbage collection.
 */
export function presentAllSessionsJson(
  snapshot: SessionsSnapshot,
  aliasOf: AliasOf = NO_ALIAS
): Buffer {
  const aliasBytes = aliasBytesOf(aliasOf)
  const groups = new SessionGroups()
  const w = new JsonBytesWriter(estimateBytes(snapshot), HEAD_ROOM)
  let total = 0
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    const nodeIdBytes = jsonStringBytes(outcome.node.nodeId)
    const { table } = outcome
    if (table !== undefined) {
      for (let i = 0; i < table.length; i++) {
        if (total++ > 0) w.ascii(',')
        const client = table.client(i)
        if ((table.rowFlags(i) & SLOW_ROW) === 0) {
          writeTableRow(w, table, i, client, nodeIdBytes, aliasBytes(client))
        } else {
          writeSession(w, table.session(i), nodeIdBytes, aliasBytes(client))
        }
        groups.add(client, table.id(i), table.number(i, F_IDLE) ?? 0)
      }
    } else {
      for (const session of outcome.sessions) {
        if (total++ > 0) w.ascii(',')
        writeSession(w, session, nodeIdBytes, aliasBytes(session.client))
        groups.add(session.client, session.id, session.idle)
      }
    }
  }
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

/** One session of a plain row (ASCII, no escapes, no unknown keys), from the reply bytes. */
function writeTableRow(
  w: JsonBytesWriter,
  table: ClientListTable,
  i: number,
  client: string,
  nodeIdBytes: Buffer,
  aliasBytes: Buffer
): void {
  const bytes = table.bytes
  const offsets = table.offsets
  const slot = table.slot(i)
  // Upper bound: the keys, the values (≤ the line; `Client` repeats part of `Addr`, hence
  // twice), the NodeId and alias, and `0` / `""` for each DAS field the server left out.
  w.reserve(DAS_KEYS_BYTES + 2 * table.lineLength(i) + nodeIdBytes.length + aliasBytes.length + 256)
  w.putByte(OPEN)
  for (const field of DAS_SESSION_FIELDS) {
    const at = slot + 2 * field.code
    const start = offsets[at] as number
    const end = offsets[at + 1] as number
    switch (field.kind) {
      case DasKind.Integer:
        if (start === ABSENT && field.optional) continue
        w.putBytes(field.keyBytes)
        if (start === ABSENT) w.putBytes(field.absentBytes)
        else w.putIntegerBytes(bytes, start, end)
        break
      case DasKind.Text:
        if (start === ABSENT && field.optional) continue
        w.putBytes(field.keyBytes)
        if (start === ABSENT) w.putAscii('""')
        else w.putQuotedBytes(bytes, start, end)
        break
      case DasKind.IntegerAsText:
        w.putBytes(field.keyBytes)
        w.putByte(QUOTE)
        if (start === ABSENT) w.putByte(ZERO)
        else w.putIntegerBytes(bytes, start, end)
        w.putByte(QUOTE)
        break
      case DasKind.Client:
        w.putBytes(field.keyBytes)
        w.putByte(QUOTE)
        w.putAscii(client)
        w.putByte(QUOTE)
        break
      case DasKind.NodeId:
        w.putBytes(field.keyBytes)
        w.putBytes(nodeIdBytes)
        break
      case DasKind.ClientDesc:
        w.putBytes(field.keyBytes)
        w.putBytes(aliasBytes)
        break
      case DasKind.Extra:
        break // a plain row has none
    }
  }
  w.putByte(CLOSE)
}

/** One session from its object: rows with escapes, non-ASCII text or unknown keys, filtered snapshots. */
function writeSession(
  w: JsonBytesWriter,
  session: ClientSession,
  nodeIdBytes: Buffer,
  aliasBytes: Buffer
): void {
  w.ascii('{')
  for (const field of DAS_SESSION_FIELDS) {
    const value = session[field.prop]
    if (value === undefined && field.optional) continue
    w.reserve(field.keyBytes.length)
    w.putBytes(field.keyBytes)
    switch (field.kind) {
      case DasKind.Integer:
        w.ascii(String(typeof value === 'number' ? value : 0))
        break
      case DasKind.IntegerAsText:
        w.ascii(`"${String(typeof value === 'number' ? value : 0)}"`)
        break
      case DasKind.Text:
      case DasKind.Client:
        w.string(typeof value === 'string' ? value : '')
        break
      case DasKind.NodeId:
      case DasKind.ClientDesc: {
        const bytes = field.kind === DasKind.NodeId ? nodeIdBytes : aliasBytes
        w.reserve(bytes.length)
        w.putBytes(bytes)
        break
      }
      case DasKind.Extra:
        w.json(value)
        break
    }
  }
  w.ascii('}')
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
