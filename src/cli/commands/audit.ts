import type { Command } from 'commander'
import { z } from 'zod'
import {
  MAX_AUDIT_PAGE_SIZE,
  parseAuditLogParams,
  queryAuditLog,
} from '../../api/actions/describe-audit-log/describe-audit-log.ts'
import { CliError, EXIT_OK, parseIntegerOption } from '../cli-error.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { renderTable, type Column } from '../format/text-table.ts'
import { DATA_DIR_OPTION_HELP, localCall, withLocalStore } from '../local-store.ts'
import { createRemoteClient, ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'

interface AuditCommandOptions {
  since: string
  user?: string
  action?: string
  instance?: string
  limit: string
  json?: boolean
  endpoint?: string
  dataDir?: string
}

// One page of DescribeAuditLog's `Data` (contract §5), checked when it comes from a server.
const JSON_VALUE: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JSON_VALUE), DETAIL])
)
const DETAIL = z.record(z.string(), JSON_VALUE)
const EVENT = z.object({
  Time: z.number(),
  RequestId: z.string(),
  User: z.string(),
  AccessKeyId: z.string(),
  SourceIp: z.string(),
  Action: z.string(),
  InstanceId: z.string(),
  Result: z.string(),
  Detail: DETAIL,
})
const PAGE = z.object({ Total: z.number(), Events: z.array(EVENT) })
type AuditPage = z.infer<typeof PAGE>
type AuditEventRow = AuditPage['Events'][number]

const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3 }

/** `redis-sessions audit [--since 24h] [--user U] [--action A] [--instance I] [--json]`. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('who did what (kills, registry and identity changes), newest first')
    .option(
      '--since <when>',
      'a duration back from now (30m, 24h, 7d) or a time (ISO 8601, ms)',
      '24h'
    )
    .option('--user <user>', 'only this user')
    .option('--action <action>', 'only this action, e.g. KillRedisSessions')
    .option('--instance <instanceId>', 'only this instance')
    .option('--limit <n>', 'at most this many events', '100')
    .option('--json', 'print {Total, Events} as DescribeAuditLog answers them')
    .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
    .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
    .action(async (options: AuditCommandOptions) => {
      process.exitCode = await runAudit(options)
    })
}

async function runAudit(options: AuditCommandOptions): Promise<number> {
  const limit = parseIntegerOption('--limit', options.limit, 1)
  const params: Record<string, string> = { StartTime: String(sinceOf(options.since, Date.now())) }
  if (options.user !== undefined) params['User'] = options.user
  if (options.action !== undefined) params['ActionName'] = options.action
  if (options.instance !== undefined) params['InstanceId'] = options.instance
  const fetchPage = pageFetcher(options)
  const pageSize = Math.min(limit, MAX_AUDIT_PAGE_SIZE)
  const events: AuditEventRow[] = []
  let total = 0
  for (let page = 1; events.length < limit; page += 1) {
    const answer = await fetchPage({
      ...params,
      PageNumber: String(page),
      PageSize: String(pageSize),
    })
    total = answer.Total
    events.push(...answer.Events.slice(0, limit - events.length))
    if (answer.Events.length < pageSize) break
  }
  const text =
    options.json === true
      ? JSON.stringify({ Total: total, Events: events })
      : renderAudit(events, total)
  process.stdout.write(text + '\n')
  return EXIT_OK
}

/** `24h` → now minus 24 hours; otherwise an ISO 8601 UTC time or ms, as `StartTime` takes. */
function sinceOf(text: string, now: number): number | string {
  const duration = /^(\d{1,9})([smhd])$/.exec(text.trim())
  if (duration !== null) return now - Number(duration[1]) * (UNIT_MS[duration[2] ?? 's'] ?? 1e3)
  if (/^\d{1,16}$/.test(text) || /^\d{4}-\d{2}-\d{2}T/.test(text)) return text
  throw new CliError(
    `--since must be a duration (30m, 24h, 7d) or a time, got "${text.slice(0, 40)}"`
  )
}

/** DescribeAuditLog on `--endpoint`, or the same query on the local store. */
function pageFetcher(
  options: AuditCommandOptions
): (params: Record<string, string>) => Promise<AuditPage> {
  const target = remoteTargetFrom(options.endpoint, process.env)
  if (target !== undefined) {
    const client = createRemoteClient(target)
    return async (params) => {
      const parsed = PAGE.safeParse(await client.call('DescribeAuditLog', params))
      if (!parsed.success) throw new CliError('DescribeAuditLog: unexpected Data from the server')
      return parsed.data
    }
  }
  return (params) =>
    withLocalStore({ dataDir: options.dataDir, env: process.env }, ({ store }) =>
      localCall(() => queryAuditLog(store, parseAuditLogParams(new Map(Object.entries(params)))))
    )
}

const COLUMNS: Column<AuditEventRow>[] = [
  { header: 'TIME', priority: 0, cell: (e) => new Date(e.Time).toISOString() },
  { header: 'USER', priority: 1, cell: (e) => e.User },
  { header: 'ACTION', priority: 0, cell: (e) => e.Action },
  { header: 'INSTANCE', priority: 2, cell: (e) => e.InstanceId },
  { header: 'RESULT', priority: 1, cell: (e) => e.Result },
  { header: 'SOURCE', priority: 3, cell: (e) => e.SourceIp },
  { header: 'ACCESS KEY', priority: 4, cell: (e) => e.AccessKeyId },
  { header: 'DETAIL', priority: 5, cell: (e) => detailText(e.Detail) },
]

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')
}

function renderAudit(events: readonly AuditEventRow[], total: number): string {
  if (events.length === 0) return 'no audit events'
  const width = terminalWidth(process.stdout, process.env)
  const more = total > events.length ? `\n${events.length} of ${total} events (see --limit)` : ''
  return renderTable(events, COLUMNS, width) + more
}
