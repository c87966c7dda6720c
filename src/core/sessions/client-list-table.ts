import type { ClientSession } from './client-session.ts'
import { clientOfAddr } from './client-of-addr.ts'
import { emptySession, setExtra, setNumber, setString } from './session-fields.ts'
import * as K from './client-list-keys.ts'

/**
 * Int32 slots per row: `[start, end)` byte offsets of each field code's value; the slots of
 * code 0 (`UNKNOWN`, never stored) hold the bounds of the whole line.
 */
export const ROW_STRIDE = K.FIELD_COUNT * 2
/**
 * The start slot of a field the server did not print. A value never starts at byte 0 (a
 * line starts with `id=`), so a fresh, zero-filled array needs no filling per row.
 */
export const ABSENT = 0
/** Slot of the line's start; its end is at `LINE_SLOT + 1`. */
export const LINE_SLOT = K.UNKNOWN * 2

/** Row flag: a byte ≥ 128 somewhere in the row; its strings are decoded as UTF-8. */
export const ROW_NON_ASCII = 1
/** Row flag: a `"`, `\` or control byte in a value; JSON needs escapes. */
export const ROW_NEEDS_ESCAPE = 2
/** Row flag: the row has keys this parser does not know (`extra`). */
export const ROW_EXTRA = 4

/** What `parseClientListTable` hands over: the reply bytes and where each value lies. */
export interface ClientListRows {
  bytes: Buffer
  /** `ROW_STRIDE` slots per row; a start of `ABSENT` means the server did not print the field. */
  offsets: Int32Array
  ids: Float64Array
  flags: Uint8Array
  /** Row → `[keyStart, keyEnd, valueStart, valueEnd, …]` of its unknown keys. */
  extras: Map<number, number[]>
  count: number
}

/**
 * The sessions of one `CLIENT LIST` reply, kept as the reply's bytes plus the byte
 * offsets of every value (docs/performance.md). Nothing is copied out of the reply
 * until asked: the DAS presenter writes JSON straight from the bytes, the metrics read a
 * few numbers, and `sessions()` builds the `ClientSession` objects only for consumers
 * that need them (filters, kill, insights). 10k sessions ≈ 2.6 MB of reply + 3 MB of
 * offsets, against ≈ 25 MB of objects and strings.
 *
 * A table is a view: `select` and `sortedById` return new views over the same bytes.
 * Row indexes `i` are positions in the view.
 */
export class ClientListTable {
  readonly length: number
  private text: string | undefined
  private materialized: ClientSession[] | undefined
  private clients: (string | undefined)[] | undefined

  constructor(
    /** `host:port` of the node, named in errors. */
    readonly node: string,
    private readonly rows: ClientListRows,
    /** View position → physical row. */
    private readonly order: Int32Array
  ) {
    this.length = order.length
  }

  /** The reply bytes the offsets point into. */
  get bytes(): Buffer {
    return this.rows.bytes
  }

  /** The offsets of every row: the slots of row `i` start at `slot(i)` (for hot loops). */
  get offsets(): Int32Array {
    return this.rows.offsets
  }

  /** Index in `offsets` of row `i`'s first slot; field `f` is at `slot(i) + 2f` and `+ 1`. */
  slot(i: number): number {
    return this.row(i) * ROW_STRIDE
  }

  id(i: number): number {
    return this.rows.ids[this.row(i)] ?? 0
  }

  /** `ROW_*` flags of the row. */
  rowFlags(i: number): number {
    return this.rows.flags[this.row(i)] ?? 0
  }

  /** Byte offset where the field's value starts, -1 when the server did not print it. */
  start(i: number, field: number): number {
    const start = this.rows.offsets[this.row(i) * ROW_STRIDE + field * 2] ?? ABSENT
    return start === ABSENT ? -1 : start
  }

  /** Byte offset where the field's value ends (exclusive). */
  end(i: number, field: number): number {
    return this.rows.offsets[this.row(i) * ROW_STRIDE + field * 2 + 1] ?? -1
  }

  /** An integer field (`K.FIRST_NUMERIC` and above); `undefined` when not printed. */
  number(i: number, field: number): number | undefined {
    const start = this.start(i, field)
    return start < 0 ? undefined : readInteger(this.rows.bytes, start, this.end(i, field))
  }

  /** A string field; `undefined` when not printed. */
  string(i: number, field: number): string | undefined {
    const start = this.start(i, field)
    if (start < 0) return undefined
    const end = this.end(i, field)
    if ((this.rowFlags(i) & ROW_NON_ASCII) !== 0)
      return this.rows.bytes.toString('utf8', start, end)
    // One latin1 decode of the whole reply, then substrings: a C++ call per value cost more.
    this.text ??= this.rows.bytes.toString('latin1')
    return this.text.slice(start, end)
  }

  /** True when the string field equals `ascii` byte for byte (no string is made). */
  stringEquals(i: number, field: number, ascii: string): boolean {
    const start = this.start(i, field)
    if (start < 0 || this.end(i, field) - start !== ascii.length) return false
    const bytes = this.rows.bytes
    for (let k = 0; k < ascii.length; k++)
      if (bytes[start + k] !== ascii.charCodeAt(k)) return false
    return true
  }

  /**
   * The DAS `Client`: the address without its port (see `clientOfAddr`). Kept per row once
   * made: the presenter, the source statistics and the metrics each ask for every row.
   */
  client(i: number): string {
    const clients = (this.clients ??= new Array<string | undefined>(this.length))
    return (clients[i] ??= clientOfAddr(this.string(i, K.F_ADDR) ?? ''))
  }

  /** Row `i` as a `ClientSession` object. */
  session(i: number): ClientSession {
    const session = emptySession()
    for (let field = 1; field < K.FIELD_COUNT; field++) {
      if (this.start(i, field) < 0) continue
      if (field >= K.FIRST_NUMERIC) setNumber(session, field, this.number(i, field) ?? 0)
      else setString(session, field, this.string(i, field) ?? '')
    }
    const unknown = this.rows.extras.get(this.row(i))
    if (unknown !== undefined) {
      const bytes = this.rows.bytes
      for (let k = 0; k < unknown.length; k += 4) {
        const [keyStart = 0, keyEnd = 0, valueStart = 0, valueEnd = 0] = unknown.slice(k, k + 4)
        setExtra(
          session,
          bytes.toString('utf8', keyStart, keyEnd),
          bytes.toString('utf8', valueStart, valueEnd)
        )
      }
    }
    session.client = clientOfAddr(session.addr)
    return session
  }

  /** Every row as objects, built once and kept (the view is immutable). */
  sessions(): ClientSession[] {
    if (this.materialized === undefined) {
      const sessions = new Array<ClientSession>(this.length)
      for (let i = 0; i < this.length; i++) sessions[i] = this.session(i)
      this.materialized = sessions
    }
    return this.materialized
  }

  /** The rows for which `keep(i)` is true, in this view's order. */
  select(keep: (i: number) => boolean): ClientListTable {
    const kept = new Int32Array(this.length)
    let count = 0
    for (let i = 0; i < this.length; i++) if (keep(i)) kept[count++] = this.row(i)
    return count === this.length
      ? this
      : new ClientListTable(this.node, this.rows, kept.slice(0, count))
  }

  /** Bytes of row `i`'s line in the reply. */
  lineLength(i: number): number {
    const slot = this.slot(i) + LINE_SLOT
    return (this.rows.offsets[slot + 1] ?? 0) - (this.rows.offsets[slot] ?? 0)
  }

  /**
   * The rows by ascending id (contract §3): this view when they already are. Redis lists its
   * client list's order, not ids: clients move in it, so a 10k reply had 17 descents here.
   */
  sortedById(): ClientListTable {
    const ids = this.rows.ids
    const order = this.order
    let sorted = true
    for (let i = 1; i < order.length && sorted; i++) {
      sorted = (ids[order[i - 1] as number] as number) <= (ids[order[i] as number] as number)
    }
    if (sorted) return this
    const byId = Int32Array.from(order).sort((a, b) => (ids[a] ?? 0) - (ids[b] ?? 0))
    return new ClientListTable(this.node, this.rows, byId)
  }

  private row(i: number): number {
    return this.order[i] ?? 0
  }
}

const MINUS = 45
const ZERO = 48

/**
 * The integer in `bytes[start, end)`, already validated by the parser (optional `-`, 1–20
 * digits). Beyond 15 digits `n * 10 + d` may round differently from a correctly rounded
 * parse, so those rare ones go through Number(): 2^53 + 1 reads as Number('9007199254740993').
 */
export function readInteger(bytes: Uint8Array, start: number, end: number): number {
  const negative = bytes[start] === MINUS
  const digits = negative ? start + 1 : start
  if (end - digits > 15)
    return Number(
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')
    )
  let n = 0
  for (let i = digits; i < end; i++) n = n * 10 + ((bytes[i] ?? ZERO) - ZERO)
  // `0 - n`, not `-n`: "-0" must not become -0 (deepStrictEqual tells them apart).
  return negative ? 0 - n : n
}
