/**
 * The request pool of a load run: `count` GetRedisAllSession calls signed with V3 (as
 * openapi-core signs), each with its own nonce and the current time (valid 15 minutes), written one
 * per line for load/walk.lua. A fraction `badFraction` gets one character of its signature changed:
 * the server must answer exactly `SignatureDoesNotMatch` for those. They are spread evenly over the
 * file (line i is bad when ⌊(i+1)·f⌋ > ⌊i·f⌋: for 5 %, every 20th), and walk.lua gives each wrk
 * thread one contiguous block of lines, so every thread sends the same fraction, evenly spaced.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { buildSignedRequest } from '../src/api/signature/sign.ts'

/** Options of {@link writePool}. */
export interface PoolOptions {
  file: string
  /** `http://127.0.0.1:<port>` */
  endpoint: string
  instanceId: string
  accessKeyId: string
  accessKeySecret: string
  count: number
  /** 0–1; bad requests are spread evenly over the file. */
  badFraction: number
}

/** Writes the pool; resolves with how many lines are bad. */
export async function writePool(options: PoolOptions): Promise<number> {
  const out = createWriteStream(options.file)
  const fraction = options.badFraction
  const now = new Date()
  let bad = 0
  for (let i = 0; i < options.count; i++) {
    const signed = buildSignedRequest({
      endpoint: options.endpoint,
      scheme: 'V3',
      action: 'GetRedisAllSession',
      params: { InstanceId: options.instanceId },
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      now,
    })
    const isBad = Math.floor((i + 1) * fraction) > Math.floor(i * fraction)
    const headers = Object.entries(signed.headers).map(([name, value]) => {
      if (!isBad || name !== 'authorization') return `${name}: ${value}`
      // Change the last hex digit of the signature: still well-formed, no longer matching.
      const last = value.at(-1) === '0' ? '1' : '0'
      return `${name}: ${value.slice(0, -1)}${last}`
    })
    if (isBad) bad++
    const path = signed.query === '' ? '/' : `/?${signed.query}`
    const line = `${isBad ? 1 : 0}\t${signed.method}\t${path}\t${headers.join('\t')}\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return bad
}
