import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { createAliasMatcher, normalizeCidr, type ClientAlias } from './alias-matcher.ts'
import { createLinearAliasOf } from './linear-alias-of.ts'

interface Network {
  readonly bytes: number[]
  readonly prefixLength: number
}

/** `bytes` with every bit from `keep` on taken from `noise`. */
function mix(bytes: readonly number[], keep: number, noise: readonly number[]): number[] {
  return bytes.map((byte, i) => {
    const kept = Math.min(8, Math.max(0, keep - 8 * i))
    const mask = (0xff << (8 - kept)) & 0xff
    return (byte & mask) | ((noise[i] ?? 0) & ~mask & 0xff)
  })
}

function formatAddress(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.')
  const parts = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)
  )
  return new ipaddr.IPv6(parts).toString()
}

// Few distinct leading bytes, so that random networks overlap and nest.
const byteArb = fc.constantFrom(0, 1, 10, 0x80, 0xff)
const networkArb = (width: 4 | 16): fc.Arbitrary<Network> =>
  fc
    .record({
      bytes: fc.array(byteArb, { minLength: width, maxLength: width }),
      prefixLength: fc.integer({ min: 0, max: width * 8 }),
    })
    .map(({ bytes, prefixLength }) => ({
      bytes: mix(bytes, prefixLength, Array<number>(width).fill(0)),
      prefixLength,
    }))

/** The same network in the forms an operator may type. */
const cidrTextArb = (network: Network): fc.Arbitrary<string> => {
  const { bytes, prefixLength } = network
  const forms = [`${formatAddress(bytes)}/${prefixLength}`]
  if (prefixLength === bytes.length * 8) forms.push(formatAddress(bytes))
  if (bytes.length === 4) forms.push(`::ffff:${bytes.join('.')}/${prefixLength + 96}`)
  return fc.constantFrom(...forms)
}

const aliasArb: fc.Arbitrary<{ alias: ClientAlias; network: Network }> = fc
  .oneof(networkArb(4), networkArb(16))
  .chain((network) =>
    fc.record({
      alias: fc.record({
        cidr: cidrTextArb(network),
        description: fc.string({ minLength: 1, maxLength: 4 }),
        instanceId: fc.constantFrom(null, 'a', 'b'),
      }),
      network: fc.constant(network),
    })
  )

/** Clients near the aliases (sharing a random number of leading bits), random ones, non-IPs. */
function clientArb(networks: readonly Network[]): fc.Arbitrary<string> {
  const near = fc
    .record({
      index: fc.nat(),
      keep: fc.integer({ min: 0, max: 136 }),
      noise: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
      mapped: fc.boolean(),
    })
    .map(({ index, keep, noise, mapped }) => {
      const network = networks[index % networks.length]
      if (network === undefined) return '10.0.0.1'
      const text = formatAddress(mix(network.bytes, keep, noise))
      return network.bytes.length === 4 && mapped ? `::ffff:${text}` : text
    })
  const random = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.constantFrom('/tmp/redis.sock', '?', '', 'fe80::1%eth0')
  )
  return fc.oneof({ arbitrary: near, weight: 4 }, { arbitrary: random, weight: 1 })
}

const scenarioArb = fc.array(aliasArb, { maxLength: 40 }).chain((entries) =>
  fc.record({
    aliases: fc.constant(entries.map((entry) => entry.alias)),
    lookups: fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c'), clientArb(entries.map((entry) => entry.network))),
      { minLength: 1, maxLength: 30 }
    ),
  })
)

describe('createAliasMatcher (property)', () => {
  it('agrees with a linear scan over random aliases and clients', () => {
    fc.assert(
      fc.property(scenarioArb, ({ aliases, lookups }) => {
        const matcher = createAliasMatcher(aliases)
        const linear = createLinearAliasOf(aliases)
        for (const [instanceId, client] of lookups) {
          const expected = linear(instanceId, client)
          assert.equal(matcher.aliasOf(instanceId, client), expected, `${instanceId} ${client}`)
          assert.equal(matcher.forInstance(instanceId)(client), expected)
        }
      }),
      { numRuns: 500 }
    )
  })

  it('resolves the same with canonical CIDRs, and normalizing is idempotent', () => {
    fc.assert(
      fc.property(scenarioArb, ({ aliases, lookups }) => {
        const canonical = aliases.map((alias) => ({ ...alias, cidr: normalizeCidr(alias.cidr) }))
        for (const { cidr } of canonical) assert.equal(normalizeCidr(cidr), cidr)
        const before = createAliasMatcher(aliases)
        const after = createAliasMatcher(canonical)
        for (const [instanceId, client] of lookups) {
          assert.equal(after.aliasOf(instanceId, client), before.aliasOf(instanceId, client))
        }
      }),
      { numRuns: 200 }
    )
  })
})
