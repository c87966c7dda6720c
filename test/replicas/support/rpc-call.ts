import assert from 'node:assert/strict'
import { request } from 'node:http'
import { buildSignedRequest, type SignedRequest } from '../../../src/api/signature/sign.ts'

/** Who signs: a long-lived AccessKey or console credentials (with their SecurityToken). */
export interface Credentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string | undefined
}

/** One HTTP answer, its body parsed (every answer of the server is JSON, protocol.md §8). */
export interface Answer {
  status: number
  text: string
  json: Readonly<Record<string, unknown>>
}

/**
 * Signs an RPC call as the SDKs do (V3, POST, `host` signed) for the endpoint the client
 * believes it talks to: behind a proxy that is the proxy's `host:port`, whichever replica
 * finally answers.
 */
export function signCall(
  endpoint: string,
  action: string,
  params: Readonly<Record<string, string>>,
  credentials: Credentials
): SignedRequest {
  return buildSignedRequest({
    endpoint,
    scheme: 'V3',
    action,
    params,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.securityToken === undefined
      ? {}
      : { securityToken: credentials.securityToken }),
  })
}

/**
 * Sends a signed request to `target` (`http://host:port`) byte for byte, its `Host` header
 * included (node:http sends the one given; fetch would put the target's).
 */
export function send(target: string, signed: SignedRequest): Promise<Answer> {
  const path = signed.query === '' ? '/' : `/?${signed.query}`
  return exchange(target, signed.method, path, { ...signed.headers }, signed.body)
}

/** Signs for `target` itself and sends. */
export function call(
  target: string,
  action: string,
  params: Readonly<Record<string, string>>,
  credentials: Credentials
): Promise<Answer> {
  return send(target, signCall(target, action, params, credentials))
}

/** GETs a path (the health check). */
export function get(target: string, path: string): Promise<Answer> {
  return exchange(target, 'GET', path, {}, Buffer.alloc(0))
}

/** POSTs JSON (the console sign-in route). */
export function postJson(target: string, path: string, body: unknown): Promise<Answer> {
  const bytes = Buffer.from(JSON.stringify(body))
  return exchange(target, 'POST', path, { 'content-type': 'application/json' }, bytes)
}

/** Asserts a success envelope and returns `Data` (or the whole body when there is none). */
export function dataOf(answer: Answer): unknown {
  assert.equal(answer.status, 200, `HTTP status; body: ${answer.text.slice(0, 500)}`)
  assert.equal(answer.json['Success'], true, answer.text.slice(0, 500))
  return answer.json['Data'] ?? answer.json
}

/** Asserts an error answer with `code`. */
export function assertCode(answer: Answer, code: string): void {
  assert.equal(answer.json['Code'], code, `error code; body: ${answer.text.slice(0, 500)}`)
  assert.ok(answer.status >= 400, `HTTP ${answer.status} for ${code}`)
}

/** Narrows a parsed JSON value to an object. */
export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function exchange(
  target: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer
): Promise<Answer> {
  const url = new URL(target)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          try {
            const json: unknown = JSON.parse(text)
            if (!isObject(json)) throw new Error('not a JSON object')
            resolve({ status: res.statusCode ?? 0, text, json })
          } catch {
            reject(new Error(`HTTP ${res.statusCode}: not JSON: ${text.slice(0, 300)}`))
          }
        })
      }
    )
    req.on('error', reject)
    req.end(body.length === 0 ? undefined : body)
  })
}
