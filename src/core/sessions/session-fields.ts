import type { ClientSession } from './client-session.ts'
import * as K from './client-list-keys.ts'

// Writers of the fixed-shape session object; the codes come from `fieldOf` (client-list-keys.ts).

/** Stores an integer field identified by its code (`K.FIRST_NUMERIC` and above). */
export function setNumber(session: ClientSession, field: number, n: number): void {
  switch (field) {
    case K.F_ID:
      session.id = n
      break
    case K.F_FD:
      session.fd = n
      break
    case K.F_AGE:
      session.age = n
      break
    case K.F_IDLE:
      session.idle = n
      break
    case K.F_DB:
      session.db = n
      break
    case K.F_SUB:
      session.sub = n
      break
    case K.F_PSUB:
      session.psub = n
      break
    case K.F_SSUB:
      session.ssub = n
      break
    case K.F_MULTI:
      session.multi = n
      break
    case K.F_WATCH:
      session.watch = n
      break
    case K.F_QBUF:
      session.qbuf = n
      break
    case K.F_QBUF_FREE:
      session.qbufFree = n
      break
    case K.F_ARGV_MEM:
      session.argvMem = n
      break
    case K.F_MULTI_MEM:
      session.multiMem = n
      break
    case K.F_RBS:
      session.rbs = n
      break
    case K.F_RBP:
      session.rbp = n
      break
    case K.F_OBL:
      session.obl = n
      break
    case K.F_OLL:
      session.oll = n
      break
    case K.F_OMEM:
      session.omem = n
      break
    case K.F_TOT_MEM:
      session.totMem = n
      break
    case K.F_REDIR:
      session.redir = n
      break
    case K.F_RESP:
      session.resp = n
      break
    case K.F_IO_THREAD:
      session.ioThread = n
      break
    case K.F_TOT_NET_IN:
      session.totNetIn = n
      break
    case K.F_TOT_NET_OUT:
      session.totNetOut = n
      break
    case K.F_TOT_CMDS:
      session.totCmds = n
      break
  }
}

/** Stores a string field identified by its code (below `K.FIRST_NUMERIC`). */
export function setString(session: ClientSession, field: number, value: string): void {
  switch (field) {
    case K.F_ADDR:
      session.addr = value
      break
    case K.F_LADDR:
      session.laddr = value
      break
    case K.F_NAME:
      session.name = value
      break
    case K.F_FLAGS:
      session.flags = value
      break
    case K.F_EVENTS:
      session.events = value
      break
    case K.F_CMD:
      session.cmd = value
      break
    case K.F_USER:
      session.user = value
      break
    case K.F_LIB_NAME:
      session.libName = value
      break
    case K.F_LIB_VER:
      session.libVer = value
      break
    case K.F_CAPA:
      session.capa = value
      break
  }
}

/** Keeps a field this parser does not know, verbatim. */
export function setExtra(session: ClientSession, key: string, value: string): void {
  const extra = session.extra ?? (session.extra = {})
  // A plain object keeps `extra` deep-equal to literals; only `__proto__` needs care.
  if (key === '__proto__') {
    Object.defineProperty(extra, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  } else {
    extra[key] = value
  }
}

/** Every key of `ClientSession`, always in this order: one hidden class for all sessions. */
export function emptySession(): ClientSession {
  return {
    id: 0,
    addr: '',
    client: '',
    laddr: undefined,
    fd: 0,
    name: '',
    age: 0,
    idle: 0,
    flags: '',
    db: 0,
    sub: 0,
    psub: 0,
    ssub: undefined,
    // DAS and Redis say -1 for "not in MULTI": a line without `multi=` (a proxy) is not in one.
    multi: -1,
    watch: undefined,
    qbuf: 0,
    qbufFree: 0,
    argvMem: undefined,
    multiMem: undefined,
    rbs: undefined,
    rbp: undefined,
    obl: 0,
    oll: 0,
    omem: 0,
    totMem: undefined,
    events: '',
    cmd: '',
    user: undefined,
    redir: undefined,
    resp: undefined,
    libName: undefined,
    libVer: undefined,
    ioThread: undefined,
    totNetIn: undefined,
    totNetOut: undefined,
    totCmds: undefined,
    capa: undefined,
    extra: undefined,
  }
}
