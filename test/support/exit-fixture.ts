/**
 * Child process for harness.test.ts: starts a redis-server, prints `{"pid":…,"dir":…}` and then
 * ends the way argv[2] says (`exit` code 1, uncaught `throw`, or `wait` for a signal) without stopping
 * the server, so the test can check that the process registry cleaned up behind it.
 */
import { startRedisServer } from './redis-server.ts'

const mode = process.argv[2] ?? 'exit'
const server = await startRedisServer()
process.stdout.write(`${JSON.stringify({ pid: server.pid, dir: server.dir })}\n`)
if (mode === 'exit') process.exit(1)
if (mode === 'throw') throw new Error('deliberate failure in exit-fixture')
// 'wait': stay alive until the parent signals us.
setInterval(() => undefined, 60_000)
