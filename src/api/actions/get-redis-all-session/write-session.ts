import {
  ABSENT,
  ROW_EXTRA,
  ROW_NEEDS_ESCAPE,
  ROW_NON_ASCII,
  type ClientListTable,
} from '../../../core/sessions/client-list-table.ts'
import type { ClientSession } from '../../../core/sessions/client-session.ts'
import type { JsonBytesWriter } from '../../json/json-bytes-writer.ts'
import { DAS_KEYS_BYTES, DAS_SESSION_FIELDS, DasKind } from './das-session-fields.ts'

// The writers of one DAS session object, shared by the presenter and its worker thread.

const OPEN = 0x7b
const CLOSE = 0x7d
const QUOTE = 0x22
const ZERO = 0x30
/** Rows whose values all go out byte for byte; the others are written from objects. */
const SLOW_ROW = ROW_NON_ASCII | ROW_NEEDS_ESCAPE | ROW_EXTRA

/**
 * Rows `[from, to)` of `table`, each preceded by `,` unless it is the very first session of
 * the answer (`first`). `aliasOfRow(i)` gives row `i`'s `ClientDesc` as JSON bytes.
 */
export function writeTableRows(
  w: JsonBytesWriter,
  table: ClientListTable,
  from: number,
  to: number,
  nodeIdBytes: Buffer,
  aliasOfRow: (i: number) => Buffer,
  first: boolean
): void {
  for (let i = from; i < to; i++) {
    if (!first || i > from) w.ascii(',')
    if ((table.rowFlags(i) & SLOW_ROW) === 0) {
      writeTableRow(w, table, i, table.client(i), nodeIdBytes, aliasOfRow(i))
    } else {
      writeSession(w, table.session(i), nodeIdBytes, aliasOfRow(i))
    }
  }
}

/** One session of a plain row (ASCII, no escapes, no unknown keys), from the reply bytes. */
export function writeTableRow(
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
        if (start === ABSENT) w.putByte(ZERO)
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
export function writeSession(
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
