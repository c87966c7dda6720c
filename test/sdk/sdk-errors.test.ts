/**
 * Every documented error code as the official clients surface it (protocol.md §8): pop-core
 * `err.code` / `err.data` (it ignores the HTTP status, so `Code` is what makes it throw),
 * openapi-client `err.code` / `err.statusCode` / `err.accessDeniedDetail`, openapi-core
 * `ClientError` / `ServerError` with `statusCode`, `code`, `requestId`. Then the check that the
 * tests of this folder cover every code of docs/errors.md or say why not.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ERROR_CATALOG } from '../../src/api/errors/catalog.ts'
import { NOT_REACHABLE_YET, SERVER_FAULT_CODES, readDocumentedCodes } from './error-coverage.ts'
import { startErrorWorld, type ErrorWorld } from './error-world.ts'
import { RAW_ERROR_CASES } from './raw-error-cases.ts'
import { catalogCodeOf } from './raw-request.ts'
import { callSdk, type Family, type SdkFailure } from './sdk-callers.ts'
import { SDK_ERROR_CASES, type SdkErrorCase } from './sdk-error-cases.ts'

const FAMILIES: readonly Family[] = [
  'pop-core GET',
  'pop-core POST',
  'openapi-client V3',
  'openapi-client v2',
  'openapi-core V3',
]
const REQUEST_ID = /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/

describe('errors through the official clients', () => {
  let world: ErrorWorld | undefined

  before(async () => {
    world = await startErrorWorld()
  })

  after(async () => {
    await world?.close()
  })

  for (const errorCase of SDK_ERROR_CASES) {
    for (const family of FAMILIES) {
      it(`${family}: ${errorCase.name} → ${errorCase.code} ${errorCase.status}`, async () => {
        assert.ok(world !== undefined)
        const outcome = await callSdk(
          family,
          world.sdk,
          world.principals[errorCase.principal],
          errorCase.call
        )
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
  if (family === 'openapi-core V3') {
    assert.equal(failure.errorClass, expected.status >= 500 ? 'ServerError' : 'ClientError')
  }
  if (expected.code !== 'NoPermission') {
    assert.ok(failure.accessDeniedDetail == null, `no AccessDeniedDetail: ${seen}`)
  }
}

describe('docs/errors.md coverage', () => {
  it('covers every documented code with a case or lists it in NOT_REACHABLE_YET', async () => {
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
    for (const errorCase of [...SDK_ERROR_CASES, ...RAW_ERROR_CASES]) {
      cover(errorCase.code, errorCase.status)
    }
    for (const code of SERVER_FAULT_CODES) cover(code, ERROR_CATALOG[code].httpStatus)
    const unreachable = new Set(NOT_REACHABLE_YET.map((entry) => entry.code))
    assert.equal(unreachable.size, NOT_REACHABLE_YET.length, 'NOT_REACHABLE_YET has no repeats')
    const problems: string[] = []
    for (const { code, httpStatus } of documented) {
      const statuses = covered.get(code)
      if (statuses === undefined && !unreachable.has(code)) problems.push(`${code}: no case`)
      if (statuses !== undefined && unreachable.has(code)) {
        problems.push(`${code}: covered, yet listed in NOT_REACHABLE_YET`)
      }
      for (const status of statuses ?? []) {
        if (status !== httpStatus)
          problems.push(`${code}: a case expects ${status}, docs say ${httpStatus}`)
      }
    }
    for (const { code, reason } of NOT_REACHABLE_YET) {
      if (!documented.some((row) => row.code === code)) problems.push(`${code}: not documented`)
      if (reason.trim().length < 10) problems.push(`${code}: give a reason`)
    }
    assert.deepEqual(problems, [])
  })
})
