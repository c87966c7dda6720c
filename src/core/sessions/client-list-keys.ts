/**
 * Recognition of `CLIENT LIST` keys without slicing them out of the reply
 * (docs/redis.md §2–§3). While scanning a key up to its `=`, the parser packs its
 * bytes 4 per int32 (`a` = bytes 0–3, `b` = 4–7, `d` = 8–11, big-endian); for
 * ASCII keys of ≤ 12 chars the packing is exact, so length + packed words identify a
 * key without any string comparison, and an unknown key that shares a prefix
 * (`omem-shared`, `read-events`) never matches. Keys with a byte ≥ 128 are unknown.
 * `client-list-keys.test.ts` checks every constant below against `packKey`.
 *
 * Codes below `FIRST_NUMERIC` hold strings, the others signed decimal integers.
 */

/** Not a key this parser knows: the token goes to `extra`. */
export const UNKNOWN = 0
export const F_ADDR = 1
export const F_LADDR = 2
export const F_NAME = 3
export const F_FLAGS = 4
export const F_EVENTS = 5
export const F_CMD = 6
export const F_USER = 7
export const F_LIB_NAME = 8
export const F_LIB_VER = 9
export const F_CAPA = 10
/** First code of a numeric field; every code from here on is parsed as an integer. */
export const FIRST_NUMERIC = 11
export const F_ID = 11
export const F_FD = 12
export const F_AGE = 13
export const F_IDLE = 14
export const F_DB = 15
export const F_SUB = 16
export const F_PSUB = 17
export const F_SSUB = 18
export const F_MULTI = 19
export const F_WATCH = 20
export const F_QBUF = 21
export const F_QBUF_FREE = 22
export const F_ARGV_MEM = 23
export const F_MULTI_MEM = 24
export const F_RBS = 25
export const F_RBP = 26
export const F_OBL = 27
export const F_OLL = 28
export const F_OMEM = 29
export const F_TOT_MEM = 30
export const F_REDIR = 31
export const F_RESP = 32
export const F_IO_THREAD = 33
export const F_TOT_NET_IN = 34
export const F_TOT_NET_OUT = 35
export const F_TOT_CMDS = 36
/** Number of field codes, `UNKNOWN` included: the stride of per-field tables. */
export const FIELD_COUNT = 37

/** Packs the bytes `s[p, p + n)` like the parser's hot loop does; `a` is -1 when a byte is ≥ 128. */
export function packKey(s: Uint8Array, p: number, n: number): { a: number; b: number; d: number } {
  let a = 0
  let b = 0
  let d = 0
  for (let i = 0; i < n; i++) {
    const c = s[p + i] ?? 0
    if (c > 127) return { a: -1, b: -1, d: -1 }
    if (i < 4) a = (a << 8) | c
    else if (i < 8) b = (b << 8) | c
    else d = (d << 8) | c
  }
  return { a, b, d }
}

/** The field code of the key in bytes `s[p, p + n)`, or `UNKNOWN` (slow path, off the hot loop). */
export function fieldAt(s: Uint8Array, p: number, n: number): number {
  const { a, b, d } = packKey(s, p, n)
  return a === -1 ? UNKNOWN : fieldOf(n, a, b, d)
}

/**
 * The field code of an ASCII key of length `n` whose bytes packed into `a`,
 * `b`, `d` (see the top of this file), or `UNKNOWN`.
 */
export function fieldOf(n: number, a: number, b: number, d: number): number {
  switch (n) {
    case 2:
      switch (a) {
        case 0x6964: // id
          return F_ID
        case 0x6664: // fd
          return F_FD
        case 0x6462: // db
          return F_DB
      }
      return UNKNOWN
    case 3:
      switch (a) {
        case 0x616765: // age
          return F_AGE
        case 0x737562: // sub
          return F_SUB
        case 0x6f626c: // obl
          return F_OBL
        case 0x6f6c6c: // oll
          return F_OLL
        case 0x636d64: // cmd
          return F_CMD
        case 0x726273: // rbs
          return F_RBS
        case 0x726270: // rbp
          return F_RBP
      }
      return UNKNOWN
    case 4:
      switch (a) {
        case 0x61646472: // addr
          return F_ADDR
        case 0x6e616d65: // name
          return F_NAME
        case 0x69646c65: // idle
          return F_IDLE
        case 0x70737562: // psub
          return F_PSUB
        case 0x73737562: // ssub
          return F_SSUB
        case 0x71627566: // qbuf
          return F_QBUF
        case 0x6f6d656d: // omem
          return F_OMEM
        case 0x75736572: // user
          return F_USER
        case 0x72657370: // resp
          return F_RESP
        case 0x63617061: // capa
          return F_CAPA
      }
      return UNKNOWN
    case 5:
      if (a === 0x6c616464 && b === 0x72) return F_LADDR // laddr
      if (a === 0x666c6167 && b === 0x73) return F_FLAGS // flags
      if (a === 0x6d756c74 && b === 0x69) return F_MULTI // multi
      if (a === 0x77617463 && b === 0x68) return F_WATCH // watch
      if (a === 0x72656469 && b === 0x72) return F_REDIR // redir
      return UNKNOWN
    case 6:
      if (a === 0x6576656e && b === 0x7473) return F_EVENTS // events
      return UNKNOWN
    case 7:
      if (a === 0x746f742d && b === 0x6d656d) return F_TOT_MEM // tot-mem
      if (a === 0x6c69622d && b === 0x766572) return F_LIB_VER // lib-ver
      return UNKNOWN
    case 8:
      if (a === 0x61726776 && b === 0x2d6d656d) return F_ARGV_MEM // argv-mem
      if (a === 0x6c69622d && b === 0x6e616d65) return F_LIB_NAME // lib-name
      if (a === 0x746f742d && b === 0x636d6473) return F_TOT_CMDS // tot-cmds
      return UNKNOWN
    case 9:
      if (a === 0x71627566 && b === 0x2d667265 && d === 0x65) return F_QBUF_FREE // qbuf-free
      if (a === 0x6d756c74 && b === 0x692d6d65 && d === 0x6d) return F_MULTI_MEM // multi-mem
      if (a === 0x696f2d74 && b === 0x68726561 && d === 0x64) return F_IO_THREAD // io-thread
      return UNKNOWN
    case 10:
      if (a === 0x746f742d && b === 0x6e65742d && d === 0x696e) return F_TOT_NET_IN // tot-net-in
      return UNKNOWN
    case 11:
      if (a === 0x746f742d && b === 0x6e65742d && d === 0x6f7574) return F_TOT_NET_OUT // tot-net-out
      return UNKNOWN
  }
  return UNKNOWN
}
