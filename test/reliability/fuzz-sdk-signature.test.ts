/**
 * The official SDKs as the oracle of the signature canonicaliser, fuzzed: fast-check draws
 * business parameters (any Unicode, the characters percent-encoding treats specially, empty
 * values, an unknown parameter name) and each of the five client families of test/sdk signs an
 * AddRedisInstance call with them in its own way (pop-core V1 GET and POST, openapi-client V3 and
 * v2, openapi-core V3; parameters in the query or, for openapi, a form body; the admin's key or a
 * console session's temporary key with its SecurityToken) and sends it to a real running server.
 * Every call must pass the signature check: it succeeds and the instance reads back with exactly
 * the Description sent, or — with an unknown parameter — it is refused as `InvalidParams` naming
 * exactly that parameter (checked after the signature, protocol.md §9). Bounded in count;
 * `RELIABILITY_SDK_FUZZ_RUNS` overrides it; the seed is printed and fixed by
 * `RELIABILITY_SDK_FUZZ_SEED`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { createActionRegistry } from '../../src/api/actions/registry.ts'
import { PROTOCOL_PARAMS } from '../../src/api/rpc/protocol-params.ts'
import { callSdk, FAMILIES, type Family, type SdkCall } from '../sdk/sdk-callers.ts'
import { recordSecret } from '../support/secrets.ts'
import {
  ADMIN,
  ADMIN_PASSWORD,
  callApi,
  dataOf,
  isRecord,
  parseObject,
  startLiveServer,
  type LiveServer,
} from './support/live-api.ts'

/** The admin's key, in the shape the SDK callers take (no SecurityToken). */
const ADMIN_KEY = { accessKeyId: ADMIN.accessKeyId, accessKeySecret: ADMIN.accessKeySecret }
const RUNS = Number(process.env['RELIABILITY_SDK_FUZZ_RUNS'] ?? 250)
const SEED = Number(process.env['RELIABILITY_SDK_FUZZ_SEED'] ?? 20_261_128)

/** Parameter names the server knows for AddRedisInstance: an "unknown" one must not be one. */
const KNOWN: ReadonlySet<string> = new Set([
  ...PROTOCOL_PARAMS,
  ...need(createActionRegistry().get('AddRedisInstance'), 'AddRedisInstance').params,
])
/** What percent-encoding, form encoding and canonical sorting treat specially. */
const RESERVED = [...` !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`, '%20', '%2F', '+', '=', '&', '\u00e9']
/** A parameter value: anything, reserved characters only, or empty (at most 80 code points). */
const value = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...RESERVED), maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constant('') }
)
/** pop-core upper-cases the first letter of every parameter name before signing (rpc.js). */
function popCoreName(name: string): string {
  return `${name.slice(0, 1).toUpperCase()}${name.slice(1)}`
}
/**
 * An unknown parameter's name: letters, digits, and what canonical sorting may trip on; never a
 * parameter of the protocol or of AddRedisInstance (as sent by any client). Only `[A-Za-z0-9._~-]`,
 * as every real parameter name: for other names the Node SDKs' V3 signature leaves the name
 * unencoded where the protocol encodes it (canonicalize-v3.ts), so no server can agree with both.
 */
const extraName = fc
  .tuple(
    fc.constantFrom('X', 'Z', 'a', 'Instance', 'Signature', 'Tag.1', '_', '~'),
    fc.string({ unit: fc.constantFrom(...'abXY09._-~'.split('')), maxLength: 8 })
  )
  .map(([head, tail]) => `${head}${tail}`)
  .filter((name) => !KNOWN.has(name) && !KNOWN.has(popCoreName(name)))

const input = fc.record({
  family: fc.constantFrom<Family>(...FAMILIES),
  inBody: fc.boolean(),
  temporary: fc.boolean(),
  description: value,
  password: value,
  extra: fc.option(fc.tuple(extraName, value), { freq: 5 }),
})
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never

void describe('the official SDKs sign random parameters; the server accepts every one', () => {
  let live: LiveServer | undefined
  let temporary: { accessKeyId: string; accessKeySecret: string; securityToken: string } | undefined

  before(async () => {
    live = await startLiveServer()
    const response = await fetch(`${live.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UserName: 'admin', Password: ADMIN_PASSWORD }),
    })
    const session = parseObject(await response.text())
    assert.equal(response.status, 200)
    temporary = {
      accessKeyId: String(session['AccessKeyId']),
      accessKeySecret: String(session['AccessKeySecret']),
      securityToken: String(session['SecurityToken']),
    }
    recordSecret('temporary AccessKeySecret', temporary.accessKeySecret)
    recordSecret('SecurityToken', temporary.securityToken)
  })
  after(async () => {
    await live?.close()
  })

  void it(`${RUNS} random calls through the five client families`, async () => {
    const server = need(live, 'server')
    const target = { url: server.url, endpoint: new URL(server.url).host }
    const counts = new Map<string, number>()
    let n = 0
    const property = fc.asyncProperty(input, async (drawn: Input) => {
      n++
      const instanceId = `r-sdk-fuzz-${n}`
      const params: Record<string, string> = {
        InstanceId: instanceId,
        Topology: 'standalone',
        Endpoints: '127.0.0.1:1',
        SkipCheck: 'true',
        Description: drawn.description,
        Password: drawn.password,
      }
      if (drawn.extra !== null) params[drawn.extra[0]] = drawn.extra[1]
      // pop-core has no body of its own choosing: its POST is its form body.
      const inBody = drawn.inBody && drawn.family.startsWith('openapi')
      const call: SdkCall = {
        action: 'AddRedisInstance',
        ...(inBody ? { query: {}, body: params } : { query: params }),
      }
      const credentials = drawn.temporary ? need(temporary, 'session') : ADMIN_KEY
      const outcome = await callSdk(drawn.family, target, credentials, call)
      const kind = `${drawn.family}${inBody ? ' body' : ''}${drawn.temporary ? ' STS' : ''}`
      counts.set(kind, (counts.get(kind) ?? 0) + 1)
      if (drawn.extra !== null) {
        // Refused after the signature matched, for exactly the parameter the client sent.
        assert.equal(outcome.ok, false, `${kind}: an unknown parameter was accepted`)
        if (outcome.ok) return
        assert.equal(outcome.data['Code'], 'InvalidParams', `${kind}: ${JSON.stringify(outcome)}`)
        const [name] = drawn.extra
        const sent = drawn.family.startsWith('pop-core') ? popCoreName(name) : name
        assert.equal(
          outcome.data['Detail'],
          `AddRedisInstance has no parameter ${sent}`,
          `${kind}: ${JSON.stringify(outcome.data)}`
        )
        return
      }
      assert.ok(outcome.ok, `${kind}: ${JSON.stringify(outcome.ok ? {} : outcome.data)}`)
      // Read back with our own signer: the server decoded the very string the client encoded.
      const listed = dataOf(
        await callApi(server.url, ADMIN, 'DescribeRedisInstances', { InstanceId: instanceId })
      )
      const instances = listed['Instances']
      assert.ok(Array.isArray(instances) && instances.length === 1, JSON.stringify(listed))
      const instance: unknown = instances[0]
      assert.ok(isRecord(instance))
      assert.equal(instance['Description'], drawn.description, kind)
    })
    const result = await fc.check(property, { numRuns: RUNS, seed: SEED })
    const summary = [...counts].sort().map(([k, c]) => `${k}=${c}`)
    process.stdout.write(`# sdk signature fuzz: ${n} calls (seed ${SEED}); ${summary.join(', ')}\n`)
    if (result.failed) {
      assert.fail(
        `${String(result.errorInstance)}\ncounterexample: ${JSON.stringify(result.counterexample)}`
      )
    }
    assert.equal(n, RUNS)
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
