/**
 * `npm run bench -- aliases`: build time of the alias matcher for 5,000 aliases (mixed IPv4 /
 * IPv6, global and per-instance, /8 to /128) and µs per `aliasOf` over 50,000 client addresses
 * (~500 distinct, as in a 50k-session deployment with 500 client hosts), median of 7 runs,
 * against the naive linear scan. No memoisation: the presenter caches per client, so in
 * production each distinct client is resolved once; this measures the uncached worst case.
 */
import {
  createAliasMatcher,
  type AliasMatcher,
  type ClientAlias,
} from '../src/core/aliases/alias-matcher.ts'
import { createLinearAliasOf } from '../src/core/aliases/linear-alias-of.ts'

const ALIASES = 5_000
const LOOKUPS = 50_000
const DISTINCT_CLIENTS = 500
/** The linear scan costs ~ALIASES × this many matches per run; a subset keeps it to seconds. */
const LINEAR_LOOKUPS = 2_000
const RUNS = 7
const INSTANCES = ['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7', 'r-8', 'r-9']

/** Deterministic PRNG (mulberry32) so that every run measures the same data. */
function prng(seed: number): (below: number) => number {
  let state = seed
  return (below) => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below)
  }
}
const random = prng(42)
const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T

const hex = () => random(0x10000).toString(16)
/** Hosts live in a few /16s (v4) and /48s (v6), like real fleets, so aliases nest and overlap. */
const v4Host = () => `10.${random(8)}.${random(256)}.${random(256)}`
const v6Host = () => `2001:db8:${random(4)}:${hex()}:${hex()}:${hex()}:${hex()}:${hex()}`

function v4Alias(): string {
  const length = pick([8, 16, 20, 24, 24, 28, 32, 32, 32])
  const [a, b, c, d] = v4Host().split('.').map(Number) as [number, number, number, number]
  const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
  const network = length === 0 ? 0 : (address & (~0 << (32 - length))) >>> 0
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.')}/${length}`
}
function v6Alias(): string {
  const groups = v6Host().split(':')
  const length = pick([32, 48, 64, 64, 128, 128])
  return length === 128 ? groups.join(':') : `${groups.slice(0, length / 16).join(':')}::/${length}`
}

const aliases: ClientAlias[] = Array.from({ length: ALIASES }, (_, i) => ({
  cidr: random(10) < 6 ? v4Alias() : v6Alias(),
  description: `alias ${i}`,
  instanceId: random(5) === 0 ? null : pick(INSTANCES),
}))
const distinctClients = Array.from({ length: DISTINCT_CLIENTS }, () => {
  const kind = random(20)
  if (kind < 12) return v4Host()
  if (kind < 16) return v6Host()
  if (kind < 19) return `::ffff:${v4Host()}`
  return '/run/redis/redis.sock'
})
const lookups = Array.from(
  { length: LOOKUPS },
  () => [pick(INSTANCES), pick(distinctClients)] as const
)

function median(times: number[]): number {
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN
}

/** Prints build ms, µs per lookup for the trie and the linear scan, and their agreement. */
export async function benchAliases(): Promise<void> {
  let matcher: AliasMatcher = createAliasMatcher(aliases)
  const buildMs = median(
    Array.from({ length: RUNS }, () => {
      const start = performance.now()
      matcher = createAliasMatcher(aliases)
      return performance.now() - start
    })
  )
  let hits = 0
  const resolveAll = () => {
    hits = 0
    const start = performance.now()
    for (const [instanceId, client] of lookups) if (matcher.aliasOf(instanceId, client)) hits++
    return ((performance.now() - start) * 1000) / LOOKUPS
  }
  resolveAll() // warm-up
  const trieUs = median(Array.from({ length: RUNS }, resolveAll))

  const linear = createLinearAliasOf(aliases)
  const subset = lookups.slice(0, LINEAR_LOOKUPS)
  let disagreements = 0
  for (const [instanceId, client] of subset) {
    if (linear(instanceId, client) !== matcher.aliasOf(instanceId, client)) disagreements++
  }
  const linearUs = median(
    Array.from({ length: RUNS }, () => {
      const start = performance.now()
      for (const [instanceId, client] of subset) linear(instanceId, client)
      return ((performance.now() - start) * 1000) / LINEAR_LOOKUPS
    })
  )
  console.log(
    `aliases: ${ALIASES} aliases (${INSTANCES.length} instances + global), ` +
      `${LOOKUPS} lookups over ${DISTINCT_CLIENTS} clients, median of ${RUNS}\n` +
      `  build ${buildMs.toFixed(2)} ms; trie ${trieUs.toFixed(3)} µs/lookup ` +
      `(${((trieUs * LOOKUPS) / 1000).toFixed(1)} ms for all; ${hits} with an alias)\n` +
      `  linear scan ${linearUs.toFixed(1)} µs/lookup (over ${LINEAR_LOOKUPS}); ` +
      `trie is ${(linearUs / trieUs).toFixed(0)}× faster; disagreements: ${disagreements}`
  )
  await Promise.resolve()
}
