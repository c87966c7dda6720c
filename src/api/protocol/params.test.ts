import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ApiError } from '../errors/api-error.ts'
import { decodeParams, isFormContentType, resolveAction } from './params.ts'

const FORM = 'application/x-www-form-urlencoded'

function decode(query: string, body = '', contentType: string | undefined = undefined) {
  return decodeParams({ query, body: Buffer.from(body, 'latin1'), contentType })
}

function assertApiError(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof ApiError && error.code === code)
}

describe('decodeParams', () => {
  it('decodes the query form-style: + is a space, %XX is UTF-8', () => {
    const params = decode('A=a+b%2Bc&B=%C3%A9%E4%B8%AD&C=r-ok****&D=')
    assert.deepEqual(Object.fromEntries(params), { A: 'a b+c', B: 'é中', C: 'r-ok****', D: '' })
  })

  it('takes a key without = as an empty value and skips empty pairs', () => {
    assert.deepEqual(Object.fromEntries(decode('a&&b=1&')), { a: '', b: '1' })
  })

  it('accepts lower-case hex and keeps a leading BOM and NUL as characters', () => {
    assert.equal(decode('x=%ef%bb%bfa%00').get('x'), '\uFEFFa\0')
  })

  it('merges a form body with the query', () => {
    const params = decode('InstanceId=r-1', 'Action=Get&Z=%2A', FORM)
    assert.deepEqual(Object.fromEntries(params), { InstanceId: 'r-1', Action: 'Get', Z: '*' })
  })

  it('reads a form body whatever the case or a UTF-8 charset', () => {
    for (const type of [
      FORM,
      `${FORM}; charset=UTF-8`,
      'Application/X-WWW-Form-Urlencoded;charset="utf8"',
    ]) {
      assert.equal(decode('', 'a=1', type).get('a'), '1', type)
    }
  })

  it('ignores bodies of any other content type', () => {
    for (const type of [undefined, 'application/json', 'text/plain', `${FORM}x`]) {
      assert.equal(decode('', 'a=1', type).size, 0, String(type))
    }
  })

  it('refuses a form body in another charset', () => {
    assertApiError(
      () => decode('', 'a=1', `${FORM}; charset=ISO-8859-1`),
      'InvalidParameter.Format'
    )
  })

  it('refuses a duplicate key within the query, within the body, and across both', () => {
    assertApiError(() => decode('a=1&a=1'), 'InvalidParameter.Duplicate')
    assertApiError(() => decode('', 'a=1&a=2', FORM), 'InvalidParameter.Duplicate')
    assertApiError(() => decode('Signature=x', 'Signature=y', FORM), 'InvalidParameter.Duplicate')
    // Keys are compared after decoding.
    assertApiError(() => decode('a%20b=1&a+b=2'), 'InvalidParameter.Duplicate')
  })

  it('names the duplicated parameter', () => {
    assert.throws(() => decode('Action=1&Action=2'), /Action is given more than once/)
  })

  it('refuses malformed percent escapes', () => {
    for (const query of ['a=%', 'a=%4', 'a=%zz', 'a=%%41', 'a%=1', 'a=%G1']) {
      assertApiError(() => decode(query), 'InvalidParameter.Format')
    }
  })

  it('refuses bytes that are not UTF-8', () => {
    for (const query of ['a=%FF', 'a=%C3', 'a=%ED%A0%80', 'a=%C0%AF', '%80=1']) {
      assertApiError(() => decode(query), 'InvalidParameter.Format')
    }
    assertApiError(() => decode('', 'a=\xff', FORM), 'InvalidParameter.Format')
  })

  it('refuses an empty key and a query with a lone surrogate', () => {
    assertApiError(() => decode('=1'), 'InvalidParameter.Format')
    assertApiError(() => decode('a=\uD800'), 'InvalidParameter.Format')
  })

  it('never throws anything but an ApiError', () => {
    const text = fc.string({
      unit: fc.constantFrom('%', '+', '&', '=', 'a', 'F', '0', 'é', '\uD800', ' '),
    })
    fc.assert(
      fc.property(text, fc.uint8Array({ maxLength: 40 }), fc.boolean(), (query, body, form) => {
        try {
          decodeParams({ query, body: Buffer.from(body), contentType: form ? FORM : undefined })
        } catch (error) {
          assert.ok(error instanceof ApiError, String(error))
        }
      }),
      { numRuns: 2000 }
    )
  })

  it('decodes what URLSearchParams encodes', () => {
    const entries = fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 6 })
    const wellFormed = (s: string) => !/\p{Cs}/u.test(s)
    fc.assert(
      fc.property(entries, (record) => {
        fc.pre(Object.keys(record).every(wellFormed) && Object.values(record).every(wellFormed))
        const query = new URLSearchParams(record).toString()
        assert.deepEqual(Object.fromEntries(decode(query)), { ...record })
      })
    )
  })
})

describe('isFormContentType', () => {
  it('matches the media type only', () => {
    assert.equal(isFormContentType(`${FORM};charset=utf-8`), true)
    assert.equal(isFormContentType('multipart/form-data'), false)
    assert.equal(isFormContentType(undefined), false)
  })
})

describe('resolveAction', () => {
  it('reads Action and Version from the parameters first', () => {
    const params = new Map([
      ['Action', 'GetRedisAllSession'],
      ['Version', '2020-01-16'],
    ])
    const headers = { 'x-acs-action': 'getRedisAllSession', 'x-acs-version': 'other' }
    assert.deepEqual(resolveAction(params, headers), {
      action: 'GetRedisAllSession',
      version: '2020-01-16',
    })
  })

  it('falls back to the x-acs-action and x-acs-version headers (V3)', () => {
    const headers = { 'x-acs-action': ' GetRedisAllSession ', 'x-acs-version': '2020-01-16' }
    assert.deepEqual(resolveAction(new Map(), headers), {
      action: 'GetRedisAllSession',
      version: '2020-01-16',
    })
  })

  it('is MissingAction / MissingVersion when neither place has it', () => {
    assertApiError(() => resolveAction(new Map([['Version', 'v']]), {}), 'MissingAction')
    assertApiError(() => resolveAction(new Map([['Action', 'a']]), {}), 'MissingVersion')
    assertApiError(
      () => resolveAction(new Map([['Action', '']]), { 'x-acs-version': 'v' }),
      'MissingAction'
    )
  })
})
