/**
 * Every documented error code as the official clients surface it (protocol.md §8): pop-core
 * `err.code` / `err.data` (it ignores the HTTP status, so `Code` is what makes it throw),
 * openapi-client `err.code` / `err.statusCode` / `err.accessDeniedDetail`, openapi-core
 * `ClientError` / `ServerError` / `ThrottlingError` with `statusCode`, `code`, `requestId`,
 * `retryAfter`. Then the checks that the tests of this folder provoke every code of
 * docs/errors.md, and every code through every client family that can send it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ERROR_CATALOG } from '../../src/api/errors/catalog.ts'
import {
  SDK_GAPS,
  SERVER_FAULT_CODES,
  SERVER_FAULT_FAMILIES,
  readDocumentedCodes,
} from './error-coverage.ts'
import { startErrorWorld, type ErrorWorld } from './error-world.ts'
import { RAW_ERROR_CASES } from './raw-error-cases.ts'
import { catalogCodeOf } from './raw-request.ts'
import { FAMILIES, callSdk, type Family, type SdkFailure } from './sdk-callers.ts'
import { SDK_ERROR_CASES, type SdkErrorCase } from './sdk-error-cases.ts'
import { STEERED_SDK_CASES } from './sdk-steered-cases.ts'

const REQUEST_ID = /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/
const ALL_SDK_CASES: readonly SdkErrorCase[] = [...SDK_ERROR_CASES, ...STEERED_SDK_CASES]

describe('errors through the official clients', () => {
  let world: ErrorWorld | undefined

  before(async () => {
    world = await startErrorWorld()
  })

  after(async () => {
    await world?.close()
  })

  for (const errorCase of ALL_SDK_CASES) {
    for (const family of errorCase.families ?? FAMILIES) {
      it(`${family}: ${errorCase.name} → ${errorCase.code} ${errorCase.status}`, async () => {
        assert.ok(world !== undefined)
        const call = typeof errorCase.call === 'function' ? errorCase.call(family) : errorCase.call
        const target = world.servers[errorCase.server ?? 'main']
        const credentials = world.principals[errorCase.principal]
        const send = () => callSdk(family, target, credentials, call)
        // The first answer is not checked: the second must be refused whatever it was.
        if (errorCase.twice === true) await send()
        const outcome = await send()
        assert.ok(!outcome.ok, `${family} returned instead of throwing: ${JSON.stringify(outcome)}`)
        assertSurfaced(family, outcome, errorCase)
        errorCase.check?.(outcome, { downPort: world.downPort })
      })
    }
  }
})

function assertSurfaced(family: Family, failure: SdkFailure, expected: SdkErrorCase): void {
  const seen = JSON.stringify({ ...failure, data: { ...failure.data } })
  assert.equal(failure.code, expected.code, seen)
  assert.equal(failure.status, expected.status, seen)
  assert.equal(failure.data['Code'], expected.code)
  assert.match(String(failure.requestId), REQUEST_ID)
  assert.equal(failure.requestId, failure.data['RequestId'])
  if (family.startsWith('pop-core')) {
    // pop-core names the error after the code and keeps the response headers.
    assert.equal(failure.requestIdHeader, failure.data['RequestId'])
  }
  const throttled = expected.code.includes('Throttling')
  if (family === 'openapi-core V3') {
    const errorClass = throttled
      ? 'ThrottlingError'
      : expected.status >= 500
        ? 'ServerError'
        : 'ClientError'
    assert.equal(failure.errorClass, errorClass, seen)
  }
  if (throttled) {
    // x-acs-retry-after, where the client lets a caller see it.
    if (family === 'openapi-core V3') assert.ok(Number(failure.retryAfter) >= 1, seen)
    if (family.startsWith('pop-core')) assert.match(String(failure.retryAfterHeader), /^[1-9]\d*$/)
  }
  if (expected.code !== 'NoPermission') {
    assert.ok(failure.accessDeniedDetail == null, `no AccessDeniedDetail: ${seen}`)
  }
}

describe('docs/errors.md coverage', () => {
  it('provokes every documented code, with its documented status', async () => {
    const documented = await readDocumentedCodes()
    assert.deepEqual(
      documented.map((row) => row.code).sort(),
      Object.keys(ERROR_CATALOG).sort(),
      'the parsed table is the catalogue'
    )
    const covered = new Map<string, Set<number>>()
    const cover = (code: string, status: number) => {
      const catalogCode = catalogCodeOf(code)
      covered.set(catalogCode, (covered.get(catalogCode) ?? new Set()).add(status))
    }
    for (const errorCase of [...ALL_SDK_CASES, ...RAW_ERROR_CASES]) {
      cover(errorCase.code, errorCase.status)
    }
    for (const code of SERVER_FAULT_CODES) cover(code, ERROR_CATALOG[code].httpStatus)
    const problems: string[] = []
    for (const { code, httpStatus } of documented) {
      const statuses = covered.get(code)
      if (statuses === undefined) problems.push(`${code}: no case`)
      for (const status of statuses ?? []) {
        if (status !== httpStatus)
          problems.push(`${code}: a case expects ${status}, docs say ${httpStatus}`)
      }
    }
    assert.deepEqual(problems, [])
  })
})

describe('code × client family coverage', () => {
  /** The families each catalogue code is provoked through, by the SDK cases and server faults. */
  function sentThrough(): Map<string, Set<Family>> {
    const sent = new Map<string, Set<Family>>()
    const add = (code: string, families: readonly Family[]) => {
      const catalogCode = catalogCodeOf(code)
      const known = sent.get(catalogCode) ?? new Set<Family>()
      for (const family of families) known.add(family)
      sent.set(catalogCode, known)
    }
    for (const errorCase of ALL_SDK_CASES) add(errorCase.code, errorCase.families ?? FAMILIES)
    for (const code of SERVER_FAULT_CODES) add(code, SERVER_FAULT_FAMILIES[code])
    return sent
  }

  it('sends every code through every family, or says why that family cannot', (t) => {
    const sent = sentThrough()
    const problems: string[] = []
    const rows: string[] = []
    for (const code of Object.keys(ERROR_CATALOG)) {
      const gaps = SDK_GAPS[code] ?? {}
      const cells = FAMILIES.map((family) => {
        const through = sent.get(code)?.has(family) === true
        const reason = gaps[family]
        if (through && reason !== undefined) {
          problems.push(`${code} × ${family}: provoked, yet listed as a gap`)
        }
        if (!through && (reason === undefined || reason.trim() === '')) {
          problems.push(`${code} × ${family}: neither provoked nor explained in SDK_GAPS`)
        }
        return through ? 'yes' : 'no'
      })
      rows.push(`${code.padEnd(44)} ${cells.join(' ')}`)
    }
    for (const code of Object.keys(SDK_GAPS)) {
      if (!(code in ERROR_CATALOG)) problems.push(`SDK_GAPS lists ${code}, not a catalogue code`)
    }
    t.diagnostic(`code × ${FAMILIES.join(' | ')}\n${rows.join('\n')}`)
    assert.deepEqual(problems, [])
  })
})
