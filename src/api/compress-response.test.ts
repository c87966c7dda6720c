import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { compressResponse } from './compress-response.ts'

const big = JSON.stringify({
  Sessions: Array.from({ length: 3000 }, (_, i) => ({ Id: i, Name: `n-${i}` })),
})

describe('compressResponse', () => {
  it('prefers brotli, falls back to gzip, and round-trips', async () => {
    const br = await compressResponse(big, 'gzip, deflate, br')
    assert.equal(br?.encoding, 'br')
    assert.equal(brotliDecompressSync(br.body).toString(), big)
    const gz = await compressResponse(big, 'gzip')
    assert.equal(gz?.encoding, 'gzip')
    assert.equal(gunzipSync(gz.body).toString(), big)
  })
  it('leaves small bodies, refused codings and unknown codings alone', async () => {
    assert.equal(await compressResponse('{"a":1}', 'gzip, br'), undefined)
    assert.equal(await compressResponse(big, 'gzip;q=0, br;q=0'), undefined)
    assert.equal(await compressResponse(big, 'identity'), undefined)
    assert.equal(await compressResponse(big, undefined), undefined)
  })
})
