import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { execFileSync } from 'node:child_process'
import { summarize, type ScenarioFigures } from './scenario.ts'

const fmt = (ms: number) => ms.toFixed(1)
const ratio = (value: number) => value.toFixed(2)

/** Plain-text table of medians and ratios, as printed and as written into docs/performance.md. */
export function renderTable(results: readonly ScenarioFigures[]): string {
  const header =
    '| scenario | sessions | (a) redis-cli ms | (b) CLI ms | (c) API ms | (d) node-redis ms | (b)/(a) | (c)/(a) | (d)/(c) | server peak RSS MB | CLIENT LIST per node for 50 concurrent requests |'
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
  const rows = results.map((figures) => {
    const s = summarize(figures)
    return `| ${figures.scenario.name} | ${figures.sessions} | ${fmt(s.a)} | ${fmt(s.b)} | ${fmt(s.c)} | ${fmt(s.d)} | ${ratio(s.bOverA)} | ${ratio(s.cOverA)} | ${ratio(s.dOverC)} | ${figures.serverPeakRssMb.toFixed(0)} | ${figures.coalescing.clientListCallsPerNode.join(', ')} |`
  })
  return [header, rule, ...rows].join('\n')
}

/** One line describing the machine, for the figures to mean something. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const redis = execFileSync('redis-server', ['--version']).toString().split(' ')[2] ?? '?'
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Redis ${redis.replace('v=', '')}`
}

/** Writes the raw figures as JSON under bench/results/ and the table into docs/performance.md. */
export async function writeReport(
  results: readonly ScenarioFigures[],
  runs: number
): Promise<string> {
  const when = new Date().toISOString()
  await mkdir('bench/results', { recursive: true })
  const file = `bench/results/sessions-${when.replace(/[:.]/g, '-')}.json`
  await writeFile(
    file,
    JSON.stringify({ when, machine: describeMachine(), runs, results }, null, 2) + '\n'
  )
  const section =
    `<!-- bench:sessions:start -->\nMeasured ${when} on ${describeMachine()}; median of ${runs} interleaved runs after one warm-up ` +
    `(raw figures: \`${file}\`).\n\n${renderTable(results)}\n<!-- bench:sessions:end -->`
  const docs = 'docs/performance.md'
  const current = await readFile(docs, 'utf8').catch(
    () => '# Performance\n\n<!-- bench:sessions:start -->\n<!-- bench:sessions:end -->\n'
  )
  const updated = current.replace(
    /<!-- bench:sessions:start -->[\s\S]*<!-- bench:sessions:end -->/,
    section
  )
  await writeFile(docs, updated)
  return file
}
