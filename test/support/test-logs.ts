/**
 * Where the servers of the test suite log: every test server's pino logger and every `serve`
 * child's stdout and stderr go to files under `.tmp/test-logs/` (git-ignored), so that
 * test/after-suite/logs-hold-no-secret.test.ts can search the logs of the whole suite for every
 * secret a test used (test/support/secrets.ts). scripts/test.sh empties the directory first.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino, type DestinationStream, type Level, type Logger } from 'pino'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** `.tmp/test-logs/` of this checkout. */
export const TEST_LOG_DIR = join(ROOT, '.tmp', 'test-logs')
/** Level of the test servers' loggers: everything the server says, requests included. */
export const TEST_LOG_LEVEL: Level = 'debug'

let shared: DestinationStream | undefined
let children = 0

/**
 * What this process is, for file names: the test file `node --test` runs here
 * (`test/api/x.test.ts` → `test-api-x.test`), else the script's name.
 */
function processLabel(): string {
  const script = process.argv[1] ?? 'node'
  const path = relative(ROOT, script)
  const label = path.startsWith('..') ? basename(script) : path
  return label.replace(/\.ts$/, '').replace(/[^A-Za-z0-9._-]+/g, '-')
}

/** A new file name in {@link TEST_LOG_DIR} for this process (`kind` says what writes it). */
export function testLogFile(kind: string): string {
  mkdirSync(TEST_LOG_DIR, { recursive: true })
  return join(TEST_LOG_DIR, `${processLabel()}.${kind}.${process.pid}.log`)
}

/**
 * A pino logger for a test server, at {@link TEST_LOG_LEVEL} (or `level`), writing to this
 * process's file in `.tmp/test-logs/`. `server` names the server in every line. `also`, when
 * given, receives the lines too (a test that asserts what was logged).
 */
export function testLogger(
  server: string,
  options: { level?: Level; also?: { level: Level; stream: DestinationStream } } = {}
): Logger {
  shared ??= pino.destination({ dest: testLogFile('server'), sync: false, mkdir: true })
  const level = options.level ?? TEST_LOG_LEVEL
  const base = { server }
  if (options.also === undefined) return pino({ level, base }, shared)
  const streams = pino.multistream([{ level, stream: shared }, options.also])
  return pino({ level: lowest(level, options.also.level), base }, streams)
}

function lowest(a: Level, b: Level): Level {
  const rank = (level: Level) => pino.levels.values[level] ?? 0
  return rank(a) <= rank(b) ? a : b
}

/**
 * A file stream for one `serve` child's stdout and stderr (`name` says which). End it when the
 * child has exited.
 */
export function childLogStream(name: string): WriteStream {
  children++
  const file = testLogFile(`${name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${children}`)
  return createWriteStream(file, { flags: 'a' })
}
