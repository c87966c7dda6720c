/**
 * HTTP fuzz run against a listening server (port 0): random and malformed requests and raw-socket
 * garbage (support/http-fuzz-cases.ts). Every answer must be a 200 (a valid request) or a JSON
 * error whose Code is in docs/errors.md with its documented status; never a 5xx, never an error
 * log line; the server answers normally afterwards and its heap stays bounded. Seeded and bounded
 * in count and time; prints how many inputs were tried. `RELIABILITY_FUZZ_RUNS` overrides the
 * count, `RELIABILITY_FUZZ_SEED` the seed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { readDocumentedCodes } from '../sdk/error-coverage.ts'
import { testLogger } from '../support/test-logs.ts'
import { fuzzCases, type FuzzCase } from './support/http-fuzz-cases.ts'
import {
  ADMIN,
  callApi,
  dataOf,
  isRecord,
  startLiveServer,
  type LiveServer,
} from './support/live-api.ts'
import { exchange, type RawResponse } from './support/raw-http.ts'

/** A form body `Action=DescribeRedisInstances&Version=2020-01-16`, gzipped. */
const GZIPPED_FORM = gzipSync('Action=DescribeRedisInstances&Version=2020-01-16')
const RUNS = Number(process.env['RELIABILITY_FUZZ_RUNS'] ?? 3000)
const SEED = Number(process.env['RELIABILITY_FUZZ_SEED'] ?? 20_260_507)
const TIME_LIMIT_MS = 240_000
/** Generous: the run allocates ~GBs in total; what must not happen is keeping them. */
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

void describe('HTTP fuzz against a running server', () => {
  let live: LiveServer | undefined
  const errorLogs: string[] = []
  let documented = new Map<string, number>()

  before(async () => {
    documented = new Map((await readDocumentedCodes()).map((c) => [c.code, c.httpStatus]))
    const sink = { write: (line: string) => void errorLogs.push(line) }
    // Everything into .tmp/test-logs (searched for secrets after the suite); errors here too.
    live = await startLiveServer({
      logger: testLogger('fuzz-http', { also: { level: 'error', stream: sink } }),
    })
  })
  after(async () => {
    await live?.close()
  })

  /** The documented status of a wire code (`Missing{Name}` is `MissingParameter`). */
  function statusOf(code: string): number | undefined {
    return documented.get(/^Missing[A-Z]/.test(code) ? 'MissingParameter' : code)
  }

  function check(input: FuzzCase, response: RawResponse, index: number): string {
    const where = `${input.kind} #${index}: ${input.bytes.subarray(0, 120).toString('latin1')}`
    if (response.status === 100) return '100'
    if (response.status === 200) return '200'
    assert.ok(response.status >= 400 && response.status < 500, `HTTP ${response.status} — ${where}`)
    const type = response.headers.get('content-type') ?? ''
    assert.match(type, /^application\/json/, `content-type ${type} — ${where}`)
    if (input.heads.has(index)) return `${response.status} HEAD`
    let body: unknown
    try {
      body = JSON.parse(response.body.toString('utf8'))
    } catch {
      assert.fail(`not JSON (${response.status}): ${response.body.toString('latin1')} — ${where}`)
    }
    assert.ok(isRecord(body), where)
    const code = String(body['Code'])
    assert.ok(statusOf(code) !== undefined, `undocumented code ${code} — ${where}`)
    assert.equal(response.status, statusOf(code), `status of ${code} — ${where}`)
    assert.notEqual(code, 'InternalError', where)
    assert.equal(typeof body['RequestId'], 'string', where)
    return code
  }

  void it('answers known malformed requests with the JSON error body (regressions)', async () => {
    const port = Number(new URL(need(live, 'server').url).port)
    const cases: Array<[string, string, string]> = [
      ['garbage', 'GARBAGE\r\n\r\n', 'InvalidParameter.Format'],
      [
        'control byte in a header',
        'GET / HTTP/1.1\r\nHost: a\r\nX: \u0001\r\n\r\n',
        'InvalidParameter.Format',
      ],
      [
        'two Content-Length',
        'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
        'InvalidParameter.Format',
      ],
      [
        'bad chunk',
        'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'InvalidParameter.Format',
      ],
      [
        'headers over 16 KiB',
        `GET / HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
        'InvalidParameter.Format',
      ],
      ['bad % in the path', 'GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n', 'InvalidParameter.Format'],
      ['no Host', 'GET / HTTP/1.1\r\n\r\n', 'MissingAction'],
      ['unknown Expect', 'GET / HTTP/1.1\r\nHost: a\r\nExpect: x\r\n\r\n', 'MissingAction'],
      ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'InvalidParameter.Format'],
      ['DELETE', 'DELETE / HTTP/1.1\r\nHost: a\r\n\r\n', 'UnsupportedHTTPMethod'],
      [
        'gzip body (not decoded: its bytes are no form)',
        `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Encoding: gzip\r\nContent-Length: ${GZIPPED_FORM.length}\r\n\r\n` +
          GZIPPED_FORM.toString('latin1'),
        'InvalidParameter.Format',
      ],
      [
        'bogus Content-Encoding',
        'POST /?Action=DescribeRedisInstances HTTP/1.1\r\nHost: a\r\n' +
          'Content-Encoding: x-bogus\r\nContent-Length: 3\r\n\r\na=b',
        'MissingVersion',
      ],
    ]
    for (const [what, raw, code] of cases) {
      const input: FuzzCase = { kind: what, bytes: Buffer.from(raw, 'latin1'), heads: new Set() }
      const answer = await exchange(port, input.bytes)
      const first = answer.responses[0]
      assert.ok(first !== undefined, `${what}: no answer`)
      assert.equal(check(input, first, 0), code, what)
      assert.ok(first.headers.has('x-acs-request-id'), `${what}: x-acs-request-id`)
    }
    assert.deepEqual(errorLogs, [], 'nothing was logged as an error')
  })

  void it(`answers ${RUNS} random and malformed inputs with documented codes, stays up`, async () => {
    const server = need(live, 'server')
    const port = Number(new URL(server.url).port)
    // Warm up (JIT, lazy modules) before the heap baseline.
    dataOf(await callApi(server.url, ADMIN, 'DescribeRedisInstances'))
    const heapBefore = heapAfterGc()
    const outcomes = new Map<string, number>()
    let tried = 0
    let hung = 0
    let silent = 0
    let encoded = 0
    const result = await fc.check(
      fc.asyncProperty(fuzzCases(port, ADMIN), async (input) => {
        tried++
        if (/\+(encoded|gzip)/.test(input.kind)) encoded++
        const answer = await exchange(port, input.bytes, { headRequests: input.heads })
        if (answer.hung) hung++
        if (answer.responses.length === 0) silent++
        answer.responses.forEach((response, index) => {
          const outcome = check(input, response, index)
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
        })
      }),
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true }
    )
    const summary = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`)
    process.stdout.write(
      `# http fuzz: ${tried} inputs tried (seed ${SEED}, ${result.numRuns} runs; ` +
        `${encoded} with a Content-Encoding), ` +
        `${silent} closed without an answer, ${hung} hung; answers: ${summary.join(' ')}\n`
    )
    if (result.failed) {
      const counterexample = result.counterexample?.[0]
      const bytes = counterexample?.bytes.subarray(0, 300).toString('latin1')
      assert.fail(`${String(result.errorInstance)}\ninput: ${JSON.stringify(bytes)}`)
    }
    assert.ok(tried >= Math.min(RUNS, 500), `only ${tried} inputs ran before the time limit`)
    assert.equal(hung, 0, 'a connection neither answered nor closed within 10 s')
    assert.ok((outcomes.get('200') ?? 0) > 0, 'valid requests were answered 200')
    assert.deepEqual(errorLogs, [], 'nothing was logged as an error')

    // Alive and well: health, a signed call, and a heap that did not keep what it handled.
    const health = await fetch(`${server.url}/healthz`)
    assert.equal(health.status, 200)
    dataOf(await callApi(server.url, ADMIN, 'DescribeRedisInstances'))
    const growth = heapAfterGc() - heapBefore
    process.stdout.write(`# http fuzz: heapUsed grew by ${(growth / 1024 / 1024).toFixed(1)} MiB\n`)
    assert.ok(growth < HEAP_GROWTH_LIMIT, `heap grew by ${growth} bytes`)
  })
})

function need<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is not set up`)
  return value
}
