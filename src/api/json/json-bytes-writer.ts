const QUOTE = 34
const MINUS = 45
const ZERO = 48
/** Printable ASCII without `"` and `\`: a string made only of these is its own JSON body. */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

/**
 * Writes JSON text as UTF-8 bytes into one growing Buffer, with no intermediate strings.
 * The `put*` methods do not check room: call `reserve(n)` first with an upper bound of
 * what they will write. Writing the 4 MB of a 10k-session reply this way took 10–37 ms here,
 * against 25–230 ms for building it as strings, most of which was garbage collection of the
 * strings (docs/performance.md).
 */
export class JsonBytesWriter {
  private buffer: Buffer
  private position: number

  /**
   * @param initialBytes first allocation; it doubles when a `reserve` needs more
   * @param headroom bytes kept free before the text, for `withHead`
   */
  constructor(
    initialBytes: number,
    private readonly headroom = 0
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, initialBytes + headroom))
    this.position = headroom
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes))
    this.buffer.copy(bigger, 0, 0, this.position)
    this.buffer = bigger
  }

  putByte(byte: number): void {
    this.buffer[this.position++] = byte
  }

  /** Copies `source[start, end)` as it is. */
  putBytes(source: Uint8Array, start = 0, end = source.length): void {
    const buffer = this.buffer
    let p = this.position
    // Session values are ≈ 10 bytes: a JS loop, not a native call per value; long runs use set().
    if (end - start < 64) {
      for (let i = start; i < end; i++) buffer[p++] = source[i] as number
    } else {
      buffer.set(source.subarray(start, end), p)
      p += end - start
    }
    this.position = p
  }

  /** `"` + `source[start, end)` + `"`: bytes the caller knows need no escape. */
  putQuotedBytes(source: Uint8Array, start: number, end: number): void {
    this.putByte(QUOTE)
    this.putBytes(source, start, end)
    this.putByte(QUOTE)
  }

  /**
   * The integer written in `source[start, end)` (validated: optional `-`, 1–20 digits) as a
   * JSON number equal to what `String(readInteger(…))` prints: leading zeros dropped, `-0`
   * as `0`, and beyond 15 digits through Number() like the parser does.
   */
  putIntegerBytes(source: Uint8Array, start: number, end: number): void {
    const negative = source[start] === MINUS
    let p = negative ? start + 1 : start
    while (p < end - 1 && source[p] === ZERO) p++
    if (end - p > 15) {
      const text = Buffer.from(source.buffer, source.byteOffset + start, end - start)
      this.putAscii(String(Number(text.toString('latin1'))))
      return
    }
    if (negative && !(end - p === 1 && source[p] === ZERO)) this.putByte(MINUS)
    this.putBytes(source, p, end)
  }

  /** A string of ASCII characters that need no escape (keys, numbers, `true`). */
  putAscii(text: string): void {
    const buffer = this.buffer
    let p = this.position
    for (let i = 0; i < text.length; i++) buffer[p++] = text.charCodeAt(i)
    this.position = p
  }

  /** Any value as JSON (`JSON.stringify`), reserving its room. */
  json(value: unknown): void {
    const text = JSON.stringify(value)
    this.reserve(Buffer.byteLength(text))
    this.position += this.buffer.write(text, this.position, 'utf8')
  }

  /** A string as a JSON string, reserving its room. */
  string(text: string): void {
    if (!PLAIN_JSON_STRING.test(text)) return this.json(text)
    this.reserve(text.length + 2)
    this.putByte(QUOTE)
    this.putAscii(text)
    this.putByte(QUOTE)
  }

  /** ASCII text, reserving its room. */
  ascii(text: string): void {
    this.reserve(text.length)
    this.putAscii(text)
  }

  /** The bytes written so far (a view, not a copy). */
  toBuffer(): Buffer {
    return this.buffer.subarray(this.headroom, this.position)
  }

  /**
   * `head` (ASCII) followed by the bytes written so far, `head` written into the headroom:
   * text whose beginning depends on its end (a count) costs no copy of the end.
   */
  withHead(head: string): Buffer {
    if (head.length > this.headroom) return Buffer.concat([Buffer.from(head), this.toBuffer()])
    const start = this.headroom - head.length
    this.buffer.write(head, start, 'latin1')
    return this.buffer.subarray(start, this.position)
  }
}

/** `text` as JSON string bytes, for values written many times (a NodeId, an alias). */
export function jsonStringBytes(text: string): Buffer {
  return Buffer.from(JSON.stringify(text), 'utf8')
}
