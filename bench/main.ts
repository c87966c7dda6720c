/**
 * Benchmark dispatcher: `npm run bench -- <name>`. One entry per benchmark, name →
 * function; add yours to `BENCHES`. An unknown or missing name prints the usage.
 */
import { benchAliases } from './aliases.ts'
import { benchAuthz } from './authz.ts'
import { benchParse } from './parse.ts'

const BENCHES = new Map<string, () => Promise<void>>([
  ['aliases', benchAliases],
  ['authz', benchAuthz],
  ['parse', benchParse],
])

const name = process.argv[2]
const bench = name === undefined ? undefined : BENCHES.get(name)
if (bench === undefined) {
  console.error(`usage: npm run bench -- <name>\nnames: ${[...BENCHES.keys()].join(', ')}`)
  process.exitCode = 2
} else {
  await bench()
}
