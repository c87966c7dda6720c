/**
 * A real server for the reliability tests: `startServer` (as `redis-sessions serve` runs it) on
 * 127.0.0.1 and a free port, over a temp-dir SQLite store, with known admin credentials; and
 * signed calls to it over real HTTP (fetch), as an SDK makes them.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { buildSignedRequest } from '../../../src/api/signature/sign.ts'
import { loadConfig } from '../../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../../src/server/start-server.ts'
import { makeTempDir, removeTempDir } from '../../support/processes.ts'
import { recordSecret } from '../../support/secrets.ts'
import { testLogger } from '../../support/test-logs.ts'

/** An AccessKey pair (with the SecurityToken of temporary credentials). */
export interface Credentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string | undefined
}

/** The admin key, given through the environment (contract §7). */
export const ADMIN: Credentials = {
  accessKeyId: 'reliabilityAdmin',
  accessKeySecret: 'Reliability-Admin-Secret-6a1f0c',
}
/** The admin's console password. */
export const ADMIN_PASSWORD = 'Reliability-Console-Pw-93be'
recordSecret('reliability admin AccessKeySecret', ADMIN.accessKeySecret)
recordSecret('reliability admin console password', ADMIN_PASSWORD)

/** A started server. */
export interface LiveServer {
  readonly server: RunningServer
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly dataDir: string
  readonly masterKeyHex: string
  /** The environment the server was configured with (secrets included: tests grep for them). */
  readonly env: Readonly<Record<string, string>>
  close(): Promise<void>
}

/** Options of {@link startLiveServer}. */
export interface LiveServerOptions {
  /** Extra environment (e.g. `REDIS_SESSIONS_NODE_TIMEOUT_MS`). */
  env?: Readonly<Record<string, string>>
  /** Use this data directory (kept on close) instead of a fresh temp one (removed on close). */
  dataDir?: string
  masterKeyHex?: string
  /** Default: `testLogger` (level debug, into `.tmp/test-logs/`). */
  logger?: Logger
}

/**
 * Starts the server with an explicit environment (nothing leaks in from the test process). The
 * result cache, the history sampler and the rate limit are off unless `env` turns them on.
 */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await makeTempDir('rs-reliability-'))
  const masterKeyHex = options.masterKeyHex ?? randomBytes(32).toString('hex')
  recordSecret('master key', masterKeyHex)
  const env: Record<string, string> = {
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    REDIS_SESSIONS_ADMIN_ACCESS_KEY_SECRET: ADMIN.accessKeySecret,
    REDIS_SESSIONS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REDIS_SESSIONS_MASTER_KEY: masterKeyHex,
    REDIS_SESSIONS_RESULT_CACHE_MS: '0',
    REDIS_SESSIONS_HISTORY_INTERVAL_S: '0',
    REDIS_SESSIONS_RATE_LIMIT: '0',
    REDIS_SESSIONS_NODE_TIMEOUT_MS: '2000',
    ...options.env,
  }
  let server: RunningServer
  try {
    const config = loadConfig(env, { host: '127.0.0.1', port: 0, dataDir })
    server = await startServer(config, options.logger ?? testLogger('live-api'))
  } catch (error) {
    if (ownDir) await removeTempDir(dataDir)
    throw error
  }
  return {
    server,
    url: server.url,
    dataDir,
    masterKeyHex,
    env,
    async close() {
      try {
        await server.close()
      } finally {
        if (ownDir) await removeTempDir(dataDir)
      }
    },
  }
}

/** What one call answered. */
export interface ApiAnswer {
  status: number
  /** The raw body: grep it for secrets. */
  text: string
  /** The body parsed (the test fails when it is not a JSON object). */
  json: Readonly<Record<string, unknown>>
}

/** Signs a V3 call (openapi-core style) and sends it with fetch; never throws for an error status. */
export async function callApi(
  url: string,
  credentials: Credentials,
  action: string,
  params: Readonly<Record<string, string>> = {}
): Promise<ApiAnswer> {
  const signed = buildSignedRequest({
    endpoint: url,
    scheme: 'V3',
    action,
    params,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.securityToken === undefined
      ? {}
      : { securityToken: credentials.securityToken }),
  })
  const response = await fetch(signed.url, {
    method: signed.method,
    headers: signed.headers,
    ...(signed.body.length === 0 ? {} : { body: signed.body }),
  })
  const text = await response.text()
  return { status: response.status, text, json: parseObject(text) }
}

/** Parses a body that must be a JSON object (protocol.md §8). */
export function parseObject(text: string): Readonly<Record<string, unknown>> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    assert.fail(`not JSON: ${text.slice(0, 300)}`)
  }
  assert.ok(isRecord(parsed), `not a JSON object: ${text.slice(0, 300)}`)
  return parsed
}

/** Narrows to a plain object. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Asserts a success and returns `Data` as an object. */
export function dataOf(answer: ApiAnswer): Readonly<Record<string, unknown>> {
  assert.equal(answer.status, 200, answer.text.slice(0, 800))
  assert.equal(answer.json['Success'], true)
  const data = answer.json['Data']
  assert.ok(isRecord(data), answer.text.slice(0, 300))
  return data
}

/** Asserts an error with `code` and `status`; returns its `Detail` ('' when none). */
export function errorOf(answer: ApiAnswer, code: string, status: number): string {
  assert.equal(answer.json['Code'], code, answer.text.slice(0, 800))
  assert.equal(answer.status, status, answer.text.slice(0, 300))
  const detail = answer.json['Detail']
  return typeof detail === 'string' ? detail : ''
}

/** One node of `Data.Nodes` (contract §3 extension). */
export interface WireNode {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  Status: string
  Error?: { Code: string; Message: string }
  Total: number
}

/** `Data.Nodes`, checked for the fields the tests read. */
export function nodesOf(data: Readonly<Record<string, unknown>>): WireNode[] {
  const nodes = data['Nodes']
  assert.ok(Array.isArray(nodes), 'Data.Nodes')
  return nodes.map((node: unknown) => {
    assert.ok(isRecord(node), 'a node is an object')
    const { NodeId, Address, Role, Shard, Status, Error: error, Total } = node
    assert.ok(typeof NodeId === 'string' && typeof Address === 'string')
    assert.ok(typeof Role === 'string' && typeof Status === 'string')
    assert.ok(typeof Shard === 'number' && typeof Total === 'number')
    const wire: WireNode = { NodeId, Address, Role, Shard, Status, Total }
    if (error !== undefined) {
      assert.ok(isRecord(error) && typeof error['Code'] === 'string')
      wire.Error = { Code: error['Code'], Message: String(error['Message']) }
    }
    return wire
  })
}

/** `[NodeId, Name]` of every session in `Data.Sessions`. */
export function sessionNames(data: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const sessions = data['Sessions']
  assert.ok(Array.isArray(sessions), 'Data.Sessions')
  return sessions.map((session: unknown) => {
    assert.ok(isRecord(session))
    return [String(session['NodeId']), String(session['Name'])]
  })
}
