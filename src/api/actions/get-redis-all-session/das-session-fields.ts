import * as K from '../../../core/sessions/client-list-keys.ts'
import type { ClientSession } from '../../../core/sessions/client-session.ts'

/** How a DAS session field is written. */
export const DasKind = {
  /** A JSON number from an integer field; `0` when not printed (DAS fields; `Multi`: -1). */
  Integer: 0,
  /** A JSON string from a string field; `""` when not printed (DAS fields). */
  Text: 1,
  /** DAS's `Age`: the integer as a JSON string. */
  IntegerAsText: 2,
  /** `Client`: the address without its port. */
  Client: 3,
  /** `NodeId`: from the node, not the reply. */
  NodeId: 4,
  /** `ClientDesc`: the alias of the client. */
  ClientDesc: 5,
  /** `Extra`: the keys this parser does not know, as an object. */
  Extra: 6,
} as const
export type DasKind = (typeof DasKind)[keyof typeof DasKind]

export interface DasField {
  /** `"Name":`, with a leading `,` for every field but the first, as bytes. */
  readonly keyBytes: Buffer
  readonly kind: DasKind
  /** The CLIENT LIST field code (client-list-keys.ts), for Integer / Text / IntegerAsText. */
  readonly code: number
  /**
   * The `ClientSession` property the object path writes; `NodeId` and `ClientDesc` come from
   * the node and the alias instead, and name a property that is never undefined.
   */
  readonly prop: keyof ClientSession
  /** An extension: written only when the server printed the field. */
  readonly optional: boolean
  /**
   * What a DAS Integer field is when the server did not print it: 0, but -1 for `Multi` (Redis
   * and DAS: -1 = not in MULTI), the default `emptySession()` gives the object path too.
   */
  readonly absentBytes: Buffer
}

type Row = [name: string, kind: DasKind, code: number, prop: keyof ClientSession]

// DAS's 21 fields with DAS's types (Age is a string), in the order of the DAS example
// (seed/), then the extensions (contract §3), which SDK models ignore.
const DAS: Row[] = [
  ['Sub', DasKind.Integer, K.F_SUB, 'sub'],
  ['Psub', DasKind.Integer, K.F_PSUB, 'psub'],
  ['Idle', DasKind.Integer, K.F_IDLE, 'idle'],
  ['Flags', DasKind.Text, K.F_FLAGS, 'flags'],
  ['Oll', DasKind.Integer, K.F_OLL, 'oll'],
  ['QbufFree', DasKind.Integer, K.F_QBUF_FREE, 'qbufFree'],
  ['Multi', DasKind.Integer, K.F_MULTI, 'multi'],
  ['Omem', DasKind.Integer, K.F_OMEM, 'omem'],
  ['Qbuf', DasKind.Integer, K.F_QBUF, 'qbuf'],
  ['Name', DasKind.Text, K.F_NAME, 'name'],
  ['Obl', DasKind.Integer, K.F_OBL, 'obl'],
  ['Client', DasKind.Client, K.UNKNOWN, 'client'],
  ['Cmd', DasKind.Text, K.F_CMD, 'cmd'],
  ['Id', DasKind.Integer, K.F_ID, 'id'],
  ['Addr', DasKind.Text, K.F_ADDR, 'addr'],
  ['NodeId', DasKind.NodeId, K.UNKNOWN, 'id'],
  ['Age', DasKind.IntegerAsText, K.F_AGE, 'age'],
  ['Db', DasKind.Integer, K.F_DB, 'db'],
  ['Events', DasKind.Text, K.F_EVENTS, 'events'],
  ['Fd', DasKind.Integer, K.F_FD, 'fd'],
  ['ClientDesc', DasKind.ClientDesc, K.UNKNOWN, 'client'],
]
const EXTENSIONS: Row[] = [
  ['User', DasKind.Text, K.F_USER, 'user'],
  ['Laddr', DasKind.Text, K.F_LADDR, 'laddr'],
  ['Resp', DasKind.Integer, K.F_RESP, 'resp'],
  ['LibName', DasKind.Text, K.F_LIB_NAME, 'libName'],
  ['LibVer', DasKind.Text, K.F_LIB_VER, 'libVer'],
  ['TotMem', DasKind.Integer, K.F_TOT_MEM, 'totMem'],
  ['ArgvMem', DasKind.Integer, K.F_ARGV_MEM, 'argvMem'],
  ['MultiMem', DasKind.Integer, K.F_MULTI_MEM, 'multiMem'],
  ['Rbs', DasKind.Integer, K.F_RBS, 'rbs'],
  ['Rbp', DasKind.Integer, K.F_RBP, 'rbp'],
  ['Ssub', DasKind.Integer, K.F_SSUB, 'ssub'],
  ['Watch', DasKind.Integer, K.F_WATCH, 'watch'],
  ['Redir', DasKind.Integer, K.F_REDIR, 'redir'],
  ['IoThread', DasKind.Integer, K.F_IO_THREAD, 'ioThread'],
  ['TotNetIn', DasKind.Integer, K.F_TOT_NET_IN, 'totNetIn'],
  ['TotNetOut', DasKind.Integer, K.F_TOT_NET_OUT, 'totNetOut'],
  ['TotCmds', DasKind.Integer, K.F_TOT_CMDS, 'totCmds'],
  ['Capa', DasKind.Text, K.F_CAPA, 'capa'],
  ['Extra', DasKind.Extra, K.UNKNOWN, 'extra'],
]

/** Every field of a session object in `Data.Sessions[]`, in writing order. */
export const DAS_SESSION_FIELDS: readonly DasField[] = [
  ...DAS.map((row, i) => field(row, i, false)),
  ...EXTENSIONS.map((row) => field(row, 1, true)),
]

function field([name, kind, code, prop]: Row, index: number, optional: boolean): DasField {
  const keyBytes = Buffer.from(`${index === 0 ? '' : ','}"${name}":`, 'latin1')
  const absentBytes = Buffer.from(code === K.F_MULTI ? '-1' : '0', 'latin1')
  return { keyBytes, kind, code, prop, optional, absentBytes }
}

/** Upper bound of the bytes the keys of one session take. */
export const DAS_KEYS_BYTES = DAS_SESSION_FIELDS.reduce((sum, f) => sum + f.keyBytes.length, 2)
