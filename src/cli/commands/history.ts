import type { Command } from 'commander'
import { z } from 'zod'
import {
  historyQueryAt,
  parseHistoryParams,
} from '../../api/actions/describe-redis-session-history/handler.ts'
import { describeSessionHistory } from '../../api/actions/describe-redis-session-history/session-history.ts'
import { CliError, EXIT_OK, parseIntegerOption } from '../cli-error.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { DATA_DIR_OPTION_HELP, localCall, withLocalStore } from '../local-store.ts'
import { createRemoteClient, ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'

interface HistoryCommandOptions {
  by: string
  since: string
  key?: string
  top: string
  json?: boolean
  endpoint?: string
  dataDir?: string
}

// DescribeRedisSessionHistory's `Data` (contract §5), checked when it comes from a server.
const DATA = z.object({
  Points: z.array(
    z.object({
      Timestamp: z.number(),
      Total: z.number(),
      Active: z.number(),
      Groups: z.array(z.object({ Key: z.string(), Count: z.number() })),
    })
  ),
})
/** The `Data` the chart draws. */
export type HistoryData = z.infer<typeof DATA>

/** `--by` values: the CLI's `ip` (as in `sessions --by ip`) is the API's `source`. */
const BY: Readonly<Record<string, string>> = {
  ip: 'source',
  source: 'source',
  node: 'node',
  name: 'name',
  user: 'user',
  total: 'total',
}
const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3 }
const BARS = '▁▂▃▄▅▆▇█'

/** `redis-sessions history <InstanceId> [--by …] [--since 6h] [--key K] [--json]`. */
export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('sampled session counts of an instance, as a small chart per group')
    .argument('<instanceId>', 'a registered instance')
    .option('--by <dimension>', 'ip|node|name|user|total', 'total')
    .option(
      '--since <when>',
      'a duration back from now (30m, 6h, 7d) or a time (ISO 8601, ms)',
      '6h'
    )
    .option('--key <key>', 'only this group (an ip, node, name or user)')
    .option('--top <n>', 'groups drawn, largest peak first', '8')
    .option('--json', 'print the Data object of DescribeRedisSessionHistory')
    .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
    .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
    .action(async (instanceId: string, options: HistoryCommandOptions) => {
      process.exitCode = await runHistory(instanceId, options)
    })
}

async function runHistory(instanceId: string, options: HistoryCommandOptions): Promise<number> {
  const groupBy = BY[options.by]
  if (groupBy === undefined) throw new CliError('--by must be one of ip, node, name, user, total')
  const top = parseIntegerOption('--top', options.top, 1)
  const now = Date.now()
  const params: Record<string, string> = {
    InstanceId: instanceId,
    StartTime: String(sinceOf(options.since, now)),
    EndTime: String(now),
    GroupBy: groupBy,
    ...(options.key === undefined ? {} : { Key: options.key }),
  }
  const data = await fetchHistory(params, options)
  if (options.json === true) {
    process.stdout.write(JSON.stringify(data) + '\n')
    return EXIT_OK
  }
  // A chart needs a width: a pipe without COLUMNS gets 100 columns.
  const width = terminalWidth(process.stdout, process.env) ?? 100
  const title = `${instanceId} by ${options.by} since ${new Date(Number(params['StartTime'])).toISOString()}`
  process.stdout.write(renderHistoryChart(data, { title, top, width }) + '\n')
  return EXIT_OK
}

/** `6h` → now minus 6 hours (ms); ms or an ISO 8601 UTC time as given. */
function sinceOf(text: string, now: number): number {
  const duration = /^(\d{1,9})([smhd])$/.exec(text.trim())
  if (duration !== null) return now - Number(duration[1]) * (UNIT_MS[duration[2] ?? 's'] ?? 1e3)
  if (/^\d{1,16}$/.test(text)) return Number(text)
  const time = /^\d{4}-\d{2}-\d{2}T.*Z$/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isFinite(time)) return time
  throw new CliError(
    `--since must be a duration (30m, 6h, 7d) or a time, got "${text.slice(0, 40)}"`
  )
}

/** DescribeRedisSessionHistory on `--endpoint`, or the same query on the local store. */
async function fetchHistory(
  params: Record<string, string>,
  options: HistoryCommandOptions
): Promise<HistoryData> {
  const target = remoteTargetFrom(options.endpoint, process.env)
  if (target !== undefined) {
    const data = await createRemoteClient(target).call('DescribeRedisSessionHistory', params)
    const parsed = DATA.safeParse(data)
    if (!parsed.success) {
      throw new CliError('DescribeRedisSessionHistory: unexpected Data from the server')
    }
    return parsed.data
  }
  return withLocalStore({ dataDir: options.dataDir, env: process.env }, ({ store }) =>
    localCall(async () => {
      const now = Date.now()
      const query = historyQueryAt(parseHistoryParams(new Map(Object.entries(params))), now)
      return describeSessionHistory(store, query, now)
    })
  )
}

/** Options of {@link renderHistoryChart}. */
export interface ChartOptions {
  title: string
  /** Groups drawn besides the total. */
  top: number
  /** Terminal columns. */
  width: number
}

/**
 * The chart: a title line, then one line per series — the total first, then the groups with
 * the highest peak — each a sparkline of `▁▂▃▄▅▆▇█` scaled from the series' min to its max,
 * with min, max and last. A group absent from a sample counts 0 there. With more samples than
 * columns, a column shows the largest value of the samples it covers, so spikes stay visible.
 */
export function renderHistoryChart(data: HistoryData, options: ChartOptions): string {
  const points = data.Points
  const first = points[0]
  const last = points[points.length - 1]
  if (first === undefined || last === undefined) {
    return `${options.title}: no samples (is the sampler on? REDIS_SESSIONS_HISTORY_INTERVAL_S)`
  }
  const series = new Map<string, number[]>()
  points.forEach((point, i) => {
    for (const group of point.Groups) {
      let values = series.get(group.Key)
      if (values === undefined) {
        values = new Array<number>(points.length).fill(0)
        series.set(group.Key, values)
      }
      values[i] = group.Count
    }
  })
  const ranked = [...series]
    .map(([key, values]) => ({ key, values, peak: Math.max(...values) }))
    .sort((a, b) => b.peak - a.peak || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const shown = [
    { label: 'TOTAL', values: points.map((p) => p.Total) },
    ...ranked.slice(0, options.top).map((s) => ({ label: labelOf(s.key), values: s.values })),
  ]
  const labelWidth = Math.min(24, Math.max(...shown.map((s) => s.label.length)))
  const figures = shown.map((s) => [
    Math.min(...s.values),
    Math.max(...s.values),
    s.values[s.values.length - 1] ?? 0,
  ])
  const digits = Math.max(...figures.flat().map((n) => String(n).length))
  const stats = figures.map(([min, max, lastValue]) => {
    const n = (value: number | undefined) => String(value ?? 0).padStart(digits)
    return `min ${n(min)}  max ${n(max)}  last ${n(lastValue)}`
  })
  const statsWidth = Math.max(...stats.map((text) => text.length))
  const columns = Math.max(10, Math.min(points.length, options.width - labelWidth - statsWidth - 4))
  const lines = shown.map(
    (s, i) => `${fit(s.label, labelWidth)}  ${sparkline(s.values, columns)}  ${stats[i] ?? ''}`
  )
  const span = `${new Date(first.Timestamp).toISOString()} → ${new Date(last.Timestamp).toISOString()}`
  const hidden =
    ranked.length > options.top ? `\n${ranked.length - options.top} more groups (see --top)` : ''
  return `${options.title}\n${points.length} samples, ${span}\n${lines.join('\n')}${hidden}`
}

/** One bar per column; a column covering several samples shows their maximum. */
function sparkline(values: readonly number[], columns: number): string {
  const count = Math.min(columns, values.length)
  const bucketed = Array.from({ length: count }, (_, j) => {
    const from = Math.floor((j * values.length) / count)
    const to = Math.max(from + 1, Math.floor(((j + 1) * values.length) / count))
    return Math.max(...values.slice(from, to))
  })
  const min = Math.min(...bucketed)
  const range = Math.max(...bucketed) - min
  return bucketed
    .map((value) => BARS[range === 0 ? 0 : Math.round(((value - min) / range) * (BARS.length - 1))])
    .join('')
}

function labelOf(key: string): string {
  return key === '' ? '(none)' : key
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)
}
