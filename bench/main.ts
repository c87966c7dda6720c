/**
 * Benchmark dispatcher: `npm run bench -- <name>`. One entry per benchmark, name → loader; add
 * yours to `BENCHES`. Only the chosen benchmark's module is loaded: loading the others (the
 * sessions suite pulls in the test harness and the server) measurably slowed the parser bench
 * (5–6 µs/line instead of 1.9). No name runs the end-to-end suite of issue #4.
 */
const BENCHES = new Map<string, () => Promise<() => Promise<void>>>([
  ['aliases', async () => (await import('./aliases.ts')).benchAliases],
  ['authz', async () => (await import('./authz.ts')).benchAuthz],
  ['parse', async () => (await import('./parse.ts')).benchParse],
  ['sessions', async () => (await import('./sessions.ts')).benchSessions],
])

const first = process.argv[2]
const name = first === undefined || first.startsWith('--') ? 'sessions' : first
const load = BENCHES.get(name)
if (load === undefined) {
  console.error(`usage: npm run bench -- <name>\nnames: ${[...BENCHES.keys()].join(', ')}`)
  process.exitCode = 2
} else {
  await (
    await load()
  )()
}
