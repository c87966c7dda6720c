/**
 * Raw HTTP/1.1 over a socket, for fuzzing: send any bytes, half-close, read every response the
 * server writes until it closes, and split them (status, headers, body by Content-Length or
 * chunked). Nothing here trusts the bytes it is given.
 */
import { connect } from 'node:net'

/** One parsed response. */
export interface RawResponse {
  status: number
  headers: Map<string, string>
  body: Buffer
}

/** What one exchange produced. */
export interface RawExchange {
  responses: RawResponse[]
  /** Bytes after the last complete response (a truncated one). */
  trailing: number
  /** The server neither answered nor closed within the time limit. */
  hung: boolean
}

/**
 * Writes `payload` to 127.0.0.1:`port`, ends the writing side, and collects everything until the
 * server closes the connection or `timeoutMs` passes. `headRequests` tells the parser which
 * responses (by position) answer a HEAD and so have no body.
 */
export function exchange(
  port: number,
  payload: Buffer,
  options: { timeoutMs?: number; headRequests?: ReadonlySet<number> } = {}
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      socket.destroy()
    }, options.timeoutMs ?? 10_000)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A reset after the server answered (it closes on bad requests) is not a failure here.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      const parsed = parseResponses(Buffer.concat(chunks), options.headRequests ?? new Set())
      resolve({ ...parsed, hung })
    })
    socket.once('connect', () => {
      socket.end(payload)
    })
  })
}

/** Splits a byte stream into responses; stops at the first one that is incomplete. */
export function parseResponses(
  data: Buffer,
  headRequests: ReadonlySet<number>
): { responses: RawResponse[]; trailing: number } {
  const responses: RawResponse[] = []
  let at = 0
  let answered = 0
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at)
    if (end === -1) break
    const head = data.subarray(at, end).toString('latin1').split('\r\n')
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? Number.NaN)
    if (!Number.isInteger(status)) break
    const headers = new Map<string, string>()
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':')
      if (colon > 0)
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    let bodyStart = end + 4
    let body: Buffer | undefined
    const noBody = status < 200 || status === 204 || status === 304 || headRequests.has(answered)
    if (noBody) body = Buffer.alloc(0)
    else if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      const chunked = readChunked(data, bodyStart)
      if (chunked === undefined) break
      ;[body, bodyStart] = [chunked.body, chunked.end]
    } else if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'))
      if (!Number.isSafeInteger(length) || bodyStart + length > data.length) break
      body = data.subarray(bodyStart, bodyStart + length)
      bodyStart += length
    } else {
      body = data.subarray(bodyStart)
      bodyStart = data.length
    }
    responses.push({ status, headers, body })
    if (status >= 200) answered++
    at = bodyStart
  }
  return { responses, trailing: data.length - at }
}

function readChunked(data: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at)
    if (lineEnd === -1) return undefined
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16)
    if (!Number.isInteger(size) || size < 0) return undefined
    at = lineEnd + 2
    if (size === 0) {
      const trailerEnd = data.indexOf('\r\n', at)
      return trailerEnd === -1 ? undefined : { body: Buffer.concat(parts), end: trailerEnd + 2 }
    }
    if (at + size + 2 > data.length) return undefined
    parts.push(data.subarray(at, at + size))
    at += size + 2
  }
}
