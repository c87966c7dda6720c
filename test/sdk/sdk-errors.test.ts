/**
 * Every documented error code as the official clients surface it (protocol.md §8): pop-core
 * `err.code` / `err.data` (it ignores the HTTP status, so `Code` is what makes it throw),
 * openapi-client `err.code` / `err.statusCode` / `err.accessDeniedDetail`, openapi-core
 * `ClientError` / `ServerError` with `statusCode`, `code`, `requestId`. Then the check that the
 * tests of this folder provoke every code of docs/errors.md.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ERROR_CATALOG } from '../../src/api/errors/catalog.ts'
import { SERVER_FAULT_CODES, readDocumentedCodes } from './error-coverage.ts'
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
    for (const errorCase of [...SDK_ERROR_CASES, ...RAW_ERROR_CASES]) {
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
