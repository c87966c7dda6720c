import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { ApiError } from './api-error.ts'
import { ERROR_CATALOG, isErrorCode, type ErrorCode } from './catalog.ts'
import { errorBody } from './error-body.ts'

const codes = Object.keys(ERROR_CATALOG).filter(isErrorCode)

/** Rows `| \`Code\` | HTTP | \`Message\` | When |` of the table in docs/errors.md. */
async function readDocRows(): Promise<Map<string, { httpStatus: number; message: string }>> {
  const markdown = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
  const rows = new Map<string, { httpStatus: number; message: string }>()
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim())
    const code = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1]
    const message = /^`(.+)`$/.exec(cells[3] ?? '')?.[1]
    if (code === undefined || message === undefined) continue
    assert.equal(rows.has(code), false, `docs/errors.md lists ${code} twice`)
    rows.set(code, { httpStatus: Number(cells[2]), message })
  }
  return rows
}

describe('ERROR_CATALOG', () => {
  for (const code of codes) {
    it(`${code} has an error status and a message`, () => {
      const entry = ERROR_CATALOG[code]
      assert.ok(entry.httpStatus >= 400 && entry.httpStatus < 600, `${code}: ${entry.httpStatus}`)
      assert.match(entry.message, /\S/)
    })
  }

  it('is frozen, entries included', () => {
    assert.ok(Object.isFrozen(ERROR_CATALOG))
    for (const code of codes) assert.ok(Object.isFrozen(ERROR_CATALOG[code]), code)
  })

  it('has the codes and statuses of protocol.md §9 and contract.md §6', () => {
    const expected: Partial<Record<ErrorCode, number>> = {
      'InvalidAccessKeyId.NotFound': 404,
      'Throttling.User': 400,
      'InvalidApi.NotFound': 404,
      InvalidVersion: 400,
      UnsupportedHTTPMethod: 400,
      ServiceUnavailable: 503,
      'InvalidInstanceId.NotFound': 404,
      InstanceConnectionFailed: 503,
      InternalError: 500,
      MissingParameter: 400,
      NoPermission: 403,
      InvalidParams: 400,
      SignatureNonceUsed: 400,
      'InvalidProtocol.NeedSsl': 400,
    }
    for (const [code, status] of Object.entries(expected)) {
      assert.ok(isErrorCode(code), code)
      assert.equal(ERROR_CATALOG[code].httpStatus, status, code)
    }
  })

  it('is exactly the table of docs/errors.md, statuses and messages included', async () => {
    const rows = await readDocRows()
    assert.deepEqual([...rows.keys()].sort(), [...codes].sort())
    for (const code of codes) assert.deepEqual(rows.get(code), { ...ERROR_CATALOG[code] }, code)
  })
})

describe('ApiError', () => {
  it('derives Missing{Name} from MissingParameter', () => {
    const error = new ApiError('MissingParameter', { name: 'InstanceId' })
    assert.equal(error.code, 'MissingInstanceId')
    assert.equal(error.catalogCode, 'MissingParameter')
    assert.equal(error.message, 'InstanceId is mandatory for this action.')
    assert.equal(error.httpStatus, 400)
  })

  it('keeps the catalogue code and a readable message when no name is given', () => {
    const error = new ApiError('MissingParameter')
    assert.equal(error.code, 'MissingParameter')
    assert.doesNotMatch(error.message, /\{Name\}/)
  })

  it('carries detail, message override, headers and cause', () => {
    const cause = new Error('inner')
    const error = new ApiError('Throttling.User', {
      detail: 'slow down',
      message: 'custom',
      headers: { 'x-acs-retry-after': '3' },
      cause,
    })
    assert.equal(error.code, 'Throttling.User')
    assert.equal(error.message, 'custom')
    assert.equal(error.detail, 'slow down')
    assert.deepEqual(error.headers, { 'x-acs-retry-after': '3' })
    assert.equal(error.cause, cause)
    assert.ok(error instanceof Error)
  })
})

describe('errorBody', () => {
  it('has the fields of an Alibaba error body and no Detail when there is none', () => {
    const body = errorBody(new ApiError('NoPermission'), 'REQ-1', 'das.example:8080')
    assert.deepEqual(body, {
      RequestId: 'REQ-1',
      HostId: 'das.example:8080',
      Code: 'NoPermission',
      Message: 'You are not authorized to do this action.',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=NoPermission&product=DAS&requestId=REQ-1',
    })
  })

  it('adds Detail and AccessDeniedDetail when the error has them', () => {
    const detail = { NoPermissionType: 'ImplicitDeny', AuthAction: 'hdm:GetRedisAllSession' }
    const error = new ApiError('NoPermission', {
      detail: 'why',
      extra: { AccessDeniedDetail: detail },
    })
    const body = errorBody(error, 'REQ-2', 'h')
    assert.equal(body.Detail, 'why')
    assert.deepEqual(body.AccessDeniedDetail, detail)
    assert.deepEqual(JSON.parse(JSON.stringify(body)), body)
  })
})
