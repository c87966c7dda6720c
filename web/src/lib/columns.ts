/** The session table's columns: DAS's fields, then the CLIENT LIST extensions (contract §3). */
import type { Session } from '../api/types.ts'
import { exactBytes, exactSeconds, formatBytes, formatCount, formatDuration } from './format.ts'

/** How a column's values read: text, a count, seconds or bytes. */
export type ColumnKind = 'text' | 'count' | 'seconds' | 'bytes'

/** Session fields the table can show. */
export type ColumnKey = Exclude<keyof Session, 'Extra'>

/** One column. */
export interface Column {
  key: ColumnKey
  label: string
  /** Header tooltip: what the field means. */
  description: string
  kind: ColumnKind
  /** Width in px (fixed, so rows stay one line and the grid can be virtualised). */
  width: number
}

const col = (
  key: ColumnKey,
  label: string,
  kind: ColumnKind,
  width: number,
  description: string
): Column => ({ key, label, kind, width, description })

/** Every column, in the default order. */
export const COLUMNS: readonly Column[] = [
  col('NodeId', 'Node', 'text', 210, 'Node that holds the session (NodeId)'),
  col('Id', 'Id', 'count', 80, 'Client id, unique per node'),
  col('Addr', 'Address', 'text', 170, 'Client address and port'),
  col('Client', 'Client', 'text', 130, 'Client address without the port'),
  col('ClientDesc', 'Alias', 'text', 130, 'Alias of the client address (ClientDesc)'),
  col('Name', 'Name', 'text', 150, 'Client name (CLIENT SETNAME)'),
  col('User', 'User', 'text', 90, 'ACL user (Redis 6.0+)'),
  col('Db', 'Db', 'count', 44, 'Selected database'),
  col('Age', 'Age', 'seconds', 80, 'Connected for (seconds)'),
  col('Idle', 'Idle', 'seconds', 80, 'Idle for (seconds); 0 = active'),
  col(
    'Flags',
    'Flags',
    'text',
    60,
    'Client flags (N normal, P pub/sub, x MULTI, b blocked, S replica…)'
  ),
  col('Cmd', 'Cmd', 'text', 130, 'Last command'),
  col('Sub', 'Sub', 'count', 50, 'Channel subscriptions'),
  col('Psub', 'Psub', 'count', 54, 'Pattern subscriptions'),
  col('Ssub', 'Ssub', 'count', 54, 'Shard channel subscriptions (7.0.3+)'),
  col('Multi', 'Multi', 'count', 54, 'Commands queued in MULTI (-1 = not in MULTI)'),
  col('Watch', 'Watch', 'count', 56, 'Keys watched (7.4+)'),
  col('Qbuf', 'Qbuf', 'bytes', 80, 'Query buffer length'),
  col('QbufFree', 'Qbuf free', 'bytes', 84, 'Free space of the query buffer'),
  col('ArgvMem', 'Argv mem', 'bytes', 84, 'Memory of the next command arguments'),
  col('MultiMem', 'Multi mem', 'bytes', 86, 'Memory of queued MULTI commands (7.0+)'),
  col('Obl', 'Obl', 'bytes', 70, 'Output buffer length'),
  col('Oll', 'Oll', 'count', 56, 'Output list length (replies queued)'),
  col('Omem', 'Omem', 'bytes', 80, 'Output buffer memory'),
  col('TotMem', 'Tot mem', 'bytes', 84, 'Total memory of the client (tot-mem)'),
  col('Rbs', 'Rbs', 'bytes', 70, 'Read buffer size (7.0+)'),
  col('Rbp', 'Rbp', 'bytes', 70, 'Read buffer peak (7.0+)'),
  col('Events', 'Events', 'text', 60, 'File descriptor events (r, w)'),
  col('Fd', 'Fd', 'count', 50, 'File descriptor (-1 = no socket)'),
  col('LibName', 'Library', 'text', 100, 'Client library name (7.2+)'),
  col('LibVer', 'Lib ver', 'text', 70, 'Client library version (7.2+)'),
  col('Resp', 'RESP', 'count', 50, 'Protocol version'),
  col('Laddr', 'Local addr', 'text', 160, 'Server address the client connected to (6.2+)'),
  col('Redir', 'Redir', 'count', 56, 'Tracking redirection client id (6.2+)'),
  col('IoThread', 'IO thread', 'count', 70, 'IO thread serving the client (8.0+)'),
  col('TotNetIn', 'Net in', 'bytes', 84, 'Bytes read from the client (Valkey 8, Redis 8)'),
  col('TotNetOut', 'Net out', 'bytes', 84, 'Bytes written to the client (Valkey 8, Redis 8)'),
  col('TotCmds', 'Commands', 'count', 84, 'Commands processed (Valkey 8, Redis 8)'),
  col('Capa', 'Capa', 'text', 60, 'Client capabilities (Valkey 8.1)'),
]

/** Shown until the user picks others: what DAS shows first, plus user and memory. */
export const DEFAULT_COLUMNS: readonly ColumnKey[] = [
  'NodeId',
  'Id',
  'Addr',
  'ClientDesc',
  'Name',
  'User',
  'Db',
  'Age',
  'Idle',
  'Flags',
  'Cmd',
  'Omem',
  'TotMem',
  'LibName',
]

const BY_KEY = new Map(COLUMNS.map((column) => [column.key, column]))

/** The column of `key`. */
export function columnOf(key: ColumnKey): Column {
  const column = BY_KEY.get(key)
  if (column === undefined) throw new Error(`unknown column ${key}`)
  return column
}

/** True when `key` names a column. */
export function isColumnKey(key: string): key is ColumnKey {
  return BY_KEY.has(key as ColumnKey)
}

/** The sortable value of a cell: numbers as numbers (Age too), absent fields `undefined`. */
export function cellValue(session: Session, key: ColumnKey): string | number | undefined {
  if (key === 'Age') return Number(session.Age)
  return session[key]
}

/** What the cell shows, and its exact value for the tooltip when the shown one is rounded. */
export function cellText(session: Session, column: Column): { text: string; exact?: string } {
  const value = cellValue(session, column.key)
  if (value === undefined) return { text: '' }
  if (typeof value === 'string') return { text: value }
  switch (column.kind) {
    case 'seconds':
      return { text: formatDuration(value), exact: exactSeconds(value) }
    case 'bytes':
      return value < 1024
        ? { text: `${value} B` }
        : { text: formatBytes(value), exact: exactBytes(value) }
    case 'count':
      return { text: column.key === 'Id' ? String(value) : formatCount(value) }
    case 'text':
      return { text: String(value) }
  }
}
