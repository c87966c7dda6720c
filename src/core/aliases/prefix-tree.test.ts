import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPrefixTree } from './prefix-tree.ts'

const u8 = (...bytes: number[]) => Uint8Array.from(bytes)

describe('createPrefixTree', () => {
  it('finds nothing when empty', () => {
    const tree = createPrefixTree<string>(32)
    assert.equal(tree.longestMatch(u8(10, 0, 0, 1)), undefined)
    assert.equal(tree.size, 0)
  })

  it('returns the longest of nested prefixes', () => {
    const tree = createPrefixTree<string>(32)
    tree.insert(u8(10, 0, 0, 0), 8, '/8')
    tree.insert(u8(10, 1, 0, 0), 16, '/16')
    tree.insert(u8(10, 1, 2, 0), 24, '/24')
    tree.insert(u8(10, 1, 2, 3), 32, '/32')
    assert.equal(tree.longestMatch(u8(10, 1, 2, 3)), '/32')
    assert.equal(tree.longestMatch(u8(10, 1, 2, 4)), '/24')
    assert.equal(tree.longestMatch(u8(10, 1, 3, 3)), '/16')
    assert.equal(tree.longestMatch(u8(10, 2, 2, 3)), '/8')
    assert.equal(tree.longestMatch(u8(11, 1, 2, 3)), undefined)
    assert.equal(tree.size, 4)
  })

  it('matches every address with a /0 and splits on bits that are not byte boundaries', () => {
    const tree = createPrefixTree<string>(32)
    tree.insert(u8(0, 0, 0, 0), 0, 'all')
    tree.insert(u8(172, 16, 0, 0), 12, '172.16/12')
    assert.equal(tree.longestMatch(u8(172, 31, 255, 255)), '172.16/12')
    assert.equal(tree.longestMatch(u8(172, 32, 0, 0)), 'all')
    assert.equal(tree.longestMatch(u8(255, 255, 255, 255)), 'all')
  })

  it('ignores the bits after the prefix when inserting', () => {
    const tree = createPrefixTree<string>(32)
    tree.insert(u8(192, 168, 77, 77), 16, 'lab')
    assert.equal(tree.longestMatch(u8(192, 168, 0, 1)), 'lab')
  })

  it('replaces the value when the same prefix is inserted again', () => {
    const tree = createPrefixTree<string>(32)
    tree.insert(u8(10, 0, 0, 0), 8, 'old')
    tree.insert(u8(10, 9, 9, 9), 8, 'new')
    assert.equal(tree.longestMatch(u8(10, 0, 0, 1)), 'new')
    assert.equal(tree.size, 1)
  })

  it('walks all 128 bits of IPv6 and grows past its initial capacity', () => {
    const tree = createPrefixTree<number>(128)
    const address = (last: number) => u8(0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), last)
    tree.insert(address(0), 32, -1)
    for (let last = 0; last < 256; last++) tree.insert(address(last), 128, last)
    assert.equal(tree.longestMatch(address(200)), 200)
    assert.equal(tree.longestMatch(u8(0x20, 0x01, 0x0d, 0xb8, 1, ...Array<number>(11).fill(0))), -1)
    assert.equal(tree.size, 257)
  })

  it('rejects addresses of the wrong width and prefix lengths out of range', () => {
    const tree = createPrefixTree<string>(32)
    assert.throws(() => tree.insert(u8(10, 0, 0), 8, 'x'), RangeError)
    assert.throws(() => tree.longestMatch(new Uint8Array(16)), RangeError)
    assert.throws(() => tree.insert(u8(10, 0, 0, 0), 33, 'x'), RangeError)
    assert.throws(() => tree.insert(u8(10, 0, 0, 0), -1, 'x'), RangeError)
    assert.throws(() => tree.insert(u8(10, 0, 0, 0), 8.5, 'x'), RangeError)
  })
})
