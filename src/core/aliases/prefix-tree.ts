/**
 * A binary trie over the bits of an address (32 for IPv4, 128 for IPv6), answering
 * "which stored prefix is the longest one containing this address?".
 *
 * Nodes live in typed arrays rather than objects: 5,000 IPv6 /128 aliases make ~600k
 * nodes, which as objects would cost tens of MB and GC time; as two `Int32Array`s they
 * cost 12 bytes a node (~7 MB, twice that at worst while the arrays double) and a lookup is
 * at most `bits` array reads with no allocation.
 */

/** Longest-prefix lookup over fixed-width addresses given as big-endian bytes. */
export interface PrefixTree<T> {
  /** Address width in bits: 32 or 128. */
  readonly bits: number
  /** Number of distinct prefixes stored. */
  readonly size: number
  /**
   * Stores `value` for the first `prefixLength` bits of `bytes`; bits after the prefix are
   * ignored. Storing the same prefix again replaces its value.
   * @throws RangeError when `bytes` is not `bits / 8` long or `prefixLength` is out of range.
   */
  insert(bytes: Uint8Array, prefixLength: number, value: T): void
  /** The value of the longest stored prefix containing `bytes`, `undefined` when none does. */
  longestMatch(bytes: Uint8Array): T | undefined
}

const INITIAL_CAPACITY = 64
/** Child index 0 means "no child": the root (node 0) is never anyone's child. */
const NONE = 0

/** An empty tree for addresses of `bits` bits (32 = IPv4, 128 = IPv6). */
export function createPrefixTree<T>(bits: 32 | 128): PrefixTree<T> {
  const width = bits / 8
  // children[2n] / children[2n + 1]: the 0 / 1 child of node n.
  let children = new Int32Array(2 * INITIAL_CAPACITY)
  // slots[n]: 1 + index into `values` of node n's value, 0 when node n ends no prefix.
  let slots = new Int32Array(INITIAL_CAPACITY)
  let nodeCount = 1
  const values: T[] = []

  function checkBytes(bytes: Uint8Array): void {
    if (bytes.length !== width) {
      throw new RangeError(`expected ${width} address bytes, got ${bytes.length}`)
    }
  }

  function newNode(): number {
    if (nodeCount === slots.length) {
      const grownChildren = new Int32Array(children.length * 2)
      grownChildren.set(children)
      children = grownChildren
      const grownSlots = new Int32Array(slots.length * 2)
      grownSlots.set(slots)
      slots = grownSlots
    }
    return nodeCount++
  }

  return {
    bits,
    get size() {
      return values.length
    },
    insert(bytes, prefixLength, value) {
      checkBytes(bytes)
      if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits) {
        throw new RangeError(`prefix length must be an integer 0–${bits}, got ${prefixLength}`)
      }
      let node = 0
      for (let i = 0; i < prefixLength; i++) {
        const edge = 2 * node + bitAt(bytes, i)
        let next = children[edge] ?? NONE
        if (next === NONE) {
          next = newNode()
          // Read `children` after newNode(): it may have been replaced by a larger array.
          children[edge] = next
        }
        node = next
      }
      const slot = slots[node] ?? 0
      if (slot === 0) slots[node] = values.push(value)
      else values[slot - 1] = value
    },
    longestMatch(bytes) {
      checkBytes(bytes)
      let best = slots[0] ?? 0
      let node = 0
      // Byte by byte, then bit by bit: one typed-array read per byte instead of per bit.
      for (let i = 0; i < width; i++) {
        const byte = bytes[i] ?? 0
        for (let shift = 7; shift >= 0; shift--) {
          node = children[2 * node + ((byte >> shift) & 1)] ?? NONE
          if (node === NONE) return best === 0 ? undefined : values[best - 1]
          best = slots[node] || best
        }
      }
      return best === 0 ? undefined : values[best - 1]
    },
  }
}

/** Bit `i` of `bytes`, most significant bit of byte 0 first. */
function bitAt(bytes: Uint8Array, i: number): number {
  return ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1
}
