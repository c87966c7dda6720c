import type { ActionResult } from '../actions/action.ts'

/**
 * The success body of every action (protocol.md §8): `Code` number 200, `Message`,
 * `Success` true, `RequestId`, `Data`, plus extension fields. `Data` may arrive as JSON
 * (text or bytes) already (GetRedisAllSession: tens of MB are written once, not re-serialized).
 */
export function successBody(requestId: string, result: ActionResult): string | Buffer {
  const data = 'dataJson' in result ? result.dataJson : JSON.stringify(result.data ?? null)
  let extra = ''
  for (const [key, value] of Object.entries(result.extra ?? {})) {
    extra += `,${JSON.stringify(key)}:${JSON.stringify(value)}`
  }
  const head = `{"Code":200,"Message":"Successful","Success":true,"RequestId":"${requestId}"${extra},"Data":`
  if (typeof data === 'string') return `${head}${data}}`
  // Bytes stay bytes: one copy into the body, no UTF-8 decode and re-encode of 20 MB.
  return Buffer.concat([Buffer.from(head), data, CLOSE_BRACE])
}

const CLOSE_BRACE = Buffer.from('}')
