/**
 * Benchmark dispatcher: `npm run bench -- <name>`. One entry per benchmark, name →
 * function; add yours to `BENCHES`. An unknown or missing name prints the usage.
 */
import { benchAliases } from './aliases.ts'
import { benchAuthz } from './authz.ts'
import { benchParse } from './parse.ts'
import { benchSessions } from './sessions.ts'

const BENCHES = new Map<string, () => Promise<void>>([
  ['aliases', benchAliases],
  ['authz', benchAuthz],
  ['parse', benchParse],
  ['sessions', benchSessions],
])

// No name: the end-to-end suite of issue #4.
const first = process.argv[2]
const name = first === undefined || first.startsWith('--') ? 'sessions' : first
const bench = name === undefined ? undefined : BENCHES.get(name)
if (bench === undefined) {
  console.error(`usage: npm run bench -- <name>\nnames: ${[...BENCHES.keys()].join(', ')}`)
  process.exitCode = 2
} else {
  await bench()
}
