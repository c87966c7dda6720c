/**
 * `npm run bench -- parse`: our one-pass `parseClientListTable` (what the service runs on
 * the reply bytes) and the same followed by `sessions()` (objects, for the consumers that
 * need them) vs node-redis' `CLIENT LIST` reply transform (`split('\n')` + regex `matchAll`
 * + `Number()`, on the text its client already decoded), on 10,000 and 50,000 lines
 * synthesised from the captured Redis 7.0 fixture. Baseline and method: docs/redis.md §13
 * (there: 2.0–2.3 µs/line for a hand parser to objects, ≈ 10 µs for node-redis).
 */
import { readFileSync } from 'node:fs'
import clientListModule from '@redis/client/dist/lib/commands/CLIENT_LIST.js'
import type { ClientListTable } from '../src/core/sessions/client-list-table.ts'
import { parseClientListTable as parseFromSource } from '../src/core/sessions/parse-client-list.ts'

type Parse = (reply: Uint8Array, node: string) => ClientListTable

/**
 * The compiled parser from `dist/`: what the server and the CLI run (`npm run bench` builds
 * first). Falls back to the source when not built.
 */
async function compiledParser(): Promise<{ parse: Parse; from: string }> {
  const url = new URL('../dist/core/sessions/parse-client-list.js', import.meta.url)
  try {
    const compiled: unknown = await import(url.href)
    if (typeof compiled === 'object' && compiled !== null && 'parseClientListTable' in compiled) {
      const parse = compiled.parseClientListTable
      // The compiled module of the very function imported above: same signature.
      if (typeof parse === 'function') return { parse: parse as Parse, from: 'dist/' }
    }
  } catch {
    // not built: time the source under tsx
  }
  return { parse: parseFromSource, from: 'src/ under tsx' }
}

const FIXTURE = new URL('../src/core/sessions/__fixtures__/redis-7.0.txt', import.meta.url)
const SIZES = [10_000, 50_000]
const WARMUP_RUNS = 3
const RUNS = 15

// node-redis types the argument as a RESP verbatim-string reply (a phantom type); at
// runtime it calls `.toString()` on it, and its client hands over the plain text too.
const nodeRedisTransform = (text: string): unknown[] =>
  clientListModule.default.transformReply(text as never)

/** Lines of the real fixture, repeated with distinct ids, client ips, ports and names. */
export function synthesiseClientList(lines: number): string {
  const template = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean)
  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    const line = template[i % template.length] ?? ''
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i % 200}`
    out.push(
      line
        .replace(/^id=\d+/, `id=${i + 1}`)
        .replace(/ addr=127\.0\.0\.1:\d+/, ` addr=${ip}:${1024 + (i % 60000)}`)
        .replace(/ name=(\S+)/, ` name=$1-${i}`)
    )
  }
  return out.join('\n') + '\n'
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Median and minimum wall time in ms of `parse(input)`, after warm-up runs. */
function time<T>(parse: (input: T) => { length: number }, input: T, lines: number) {
  const samples: number[] = []
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    const started = performance.now()
    const sessions = parse(input)
    const ms = performance.now() - started
    if (sessions.length !== lines) throw new Error(`parsed ${sessions.length} of ${lines} lines`)
    if (run >= WARMUP_RUNS) samples.push(ms)
  }
  return { median: median(samples), min: Math.min(...samples) }
}

/** Prints one table row per (size, parser) and the speed-up of ours. */
export async function benchParse(): Promise<void> {
  const { parse, from } = await compiledParser()
  console.log(`parseClientListTable from ${from}`)
  const rows: string[][] = [
    ['lines', 'MB', 'parser', 'median ms', 'min ms', 'µs/line', 'MB/s', 'speed-up'],
  ]
  for (const lines of SIZES) {
    const text = synthesiseClientList(lines)
    const bytes = Buffer.from(text)
    const mb = bytes.length / 1e6
    const table = time((reply: Buffer) => parse(reply, 'bench:0'), bytes, lines)
    const objects = time((reply: Buffer) => parse(reply, 'bench:0').sessions(), bytes, lines)
    const theirs = time(nodeRedisTransform, text, lines)
    for (const [parser, result] of [
      ['parseClientListTable (bytes → table)', table],
      ['… then .sessions() (→ objects)', objects],
      ['node-redis transformReply', theirs],
    ] as const) {
      rows.push([
        lines.toLocaleString('en'),
        mb.toFixed(1),
        parser,
        result.median.toFixed(1),
        result.min.toFixed(1),
        ((result.median * 1000) / lines).toFixed(2),
        (mb / (result.median / 1000)).toFixed(0),
        `${(theirs.median / result.median).toFixed(1)}×`,
      ])
    }
  }
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  for (const row of rows)
    console.log(row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  '))
  console.log(`median of ${RUNS} runs after ${WARMUP_RUNS} warm-up runs; Node ${process.version}`)
}
