import { createInterface } from 'node:readline/promises'
import type { Command } from 'commander'
import { z } from 'zod'
import { killRedisSessions } from '../../api/actions/kill-redis-sessions/handler.ts'
import { MAX_KILL_SESSIONS } from '../../api/actions/kill-redis-sessions/session-refs.ts'
import { CliError, EXIT_OK, EXIT_PARTIAL } from '../cli-error.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { renderTable, type Column } from '../format/text-table.ts'
import { DATA_DIR_OPTION_HELP, findLocalStore, localCall, withLocalStore } from '../local-store.ts'
import { createRemoteClient, ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'
import { dataOf, runLocalAction } from '../run-local-action.ts'
import type { FilterFlags } from '../command-flags.ts'

interface KillCommandOptions extends FilterFlags {
  id: string[]
  dryRun?: boolean
  yes?: boolean
  json?: boolean
  endpoint?: string
  dataDir?: string
}

// KillRedisSessions' `Data` (contract §5), checked whether it comes from a server or from the
// action run locally; fields not read here (a node's Address, Role, LatencyMs…) are kept, so
// `--json` prints the whole `Data` either way.
const KILL_DATA = z
  .object({
    Killed: z.number(),
    // Which nodes the listing reached; a server older than these fields sends neither.
    Complete: z.boolean().optional(),
    Nodes: z
      .array(
        z
          .object({
            NodeId: z.string(),
            Status: z.enum(['ok', 'error']),
            Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
          })
          .passthrough()
      )
      .optional(),
    Sessions: z.array(
      z.object({
        NodeId: z.string(),
        Id: z.number(),
        Addr: z.string(),
        Name: z.string(),
        Result: z.enum(['killed', 'gone', 'protected', 'failed', 'would-kill']),
        Reason: z.string().optional(),
      })
    ),
  })
  .passthrough()
type KillData = z.infer<typeof KILL_DATA>
type KillParams = Record<string, string>

/** Sessions per call when killing a confirmed list (≤ MAX_KILL_SESSIONS; ≈ 0.5 MB of form body). */
const CONFIRMED_BATCH = Math.min(5000, MAX_KILL_SESSIONS)

/** `redis-sessions kill <InstanceId> [filters | --id NODEID:ID …] [--dry-run] [--yes] [--json]`. */
export function registerKill(program: Command): void {
  program
    .command('kill')
    .description(
      'kill chosen sessions of a registered instance (replication and Sentinel links are never killed)'
    )
    .argument('<instanceId>', 'registered instance')
    .option('--ip <cidr>', 'sessions from this IP or CIDR')
    .option('--name <glob>', 'sessions whose client name matches the glob')
    .option('--user <user>', 'sessions of this ACL user')
    .option('--db <n>', 'sessions on this database')
    .option('--cmd <command>', 'sessions whose last command is this')
    .option('--min-idle <seconds>', 'sessions idle at least this long')
    .option('--flags <letters>', 'sessions having every flag letter')
    .option('--lib <name>', 'sessions of this client library (lib-name)')
    .option('--id <nodeId:id>', 'this session (repeatable; not with filters)', collect, [])
    .option('--dry-run', 'list what would be killed, kill nothing')
    .option('--yes', 'kill without showing the list and asking first')
    .option('--json', 'print the Data object of KillRedisSessions')
    .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
    .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
    .action(async (instanceId: string, options: KillCommandOptions) => {
      process.exitCode = await runKill(instanceId, options)
    })
}

async function runKill(instanceId: string, options: KillCommandOptions): Promise<number> {
  const params = paramsOf(instanceId, options)
  const execute = executorFor(options)
  if (options.dryRun === true) return show(await execute({ ...params, DryRun: 'true' }), options)
  if (options.yes === true) return show(await execute(params), options)
  if (process.stdin.isTTY !== true) {
    throw new CliError(
      'refusing to kill without confirmation: stdin is not a terminal; review with --dry-run, then run again with --yes'
    )
  }
  const preview = await execute({ ...params, DryRun: 'true' })
  process.stderr.write(renderKill(preview, terminalWidth(process.stderr, process.env)) + '\n')
  const chosen = preview.Sessions.filter((session) => session.Result === 'would-kill')
  if (chosen.length === 0) return reportNodes(preview)
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  const answer = await rl.question(
    `Kill these ${chosen.length} session(s) of ${instanceId}? [y/N] `
  )
  rl.close()
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('aborted: nothing was killed')
  // Kill exactly the sessions shown, not whatever the filter matches a moment later; in
  // batches, as one call takes at most MAX_KILL_SESSIONS (and a request body is bounded).
  // The preview's nodes: a node it could not list had no session to confirm.
  const done: KillData = {
    Killed: 0,
    Sessions: [],
    ...(preview.Complete === undefined ? {} : { Complete: preview.Complete }),
    ...(preview.Nodes === undefined ? {} : { Nodes: preview.Nodes }),
  }
  for (let start = 0; start < chosen.length; start += CONFIRMED_BATCH) {
    const batch = chosen
      .slice(start, start + CONFIRMED_BATCH)
      .map(({ NodeId, Id }) => ({ NodeId, Id }))
    const data = await execute({ InstanceId: instanceId, Sessions: JSON.stringify(batch) })
    done.Killed += data.Killed
    done.Sessions.push(...data.Sessions)
    if (data.Complete === false) done.Complete = false
    done.Nodes = mergeNodes(done.Nodes, data.Nodes)
  }
  return show(done, options)
}

function paramsOf(instanceId: string, options: KillCommandOptions): KillParams {
  const params: KillParams = { InstanceId: instanceId }
  const filters: [string, string | undefined][] = [
    ['ClientIp', options.ip],
    ['Name', options.name],
    ['User', options.user],
    ['Db', options.db],
    ['Cmd', options.cmd],
    ['MinIdle', options.minIdle],
    ['Flags', options.flags],
    ['LibName', options.lib],
  ]
  for (const [name, value] of filters) if (value !== undefined) params[name] = value
  if (options.id.length > 0) params['Sessions'] = JSON.stringify(options.id.map(sessionRefOf))
  return params
}

/** `NODEID:ID`: NodeIds hold no `:` (contract §2), so the id follows the last one. */
function sessionRefOf(text: string): { NodeId: string; Id: number } {
  const colon = text.lastIndexOf(':')
  const id = text.slice(colon + 1)
  if (colon <= 0 || !/^\d{1,16}$/.test(id)) {
    throw new CliError(
      `--id must be NODEID:ID (e.g. r-prod-db-0#6379:42), got "${text.slice(0, 80)}"`
    )
  }
  return { NodeId: text.slice(0, colon), Id: Number(id) }
}

/** The RPC action on `--endpoint`, or the same action on the local store (audited alike). */
function executorFor(options: KillCommandOptions): (params: KillParams) => Promise<KillData> {
  const target = remoteTargetFrom(options.endpoint, process.env)
  if (target !== undefined) {
    const client = createRemoteClient(target)
    return async (params) => killDataOf(await client.call('KillRedisSessions', params), 'server')
  }
  const where = { dataDir: options.dataDir, env: process.env }
  return (params) => {
    // Nothing to kill where there is no store: say so, and create none.
    const found = findLocalStore(where)
    if (!found.exists) {
      const instance = (params['InstanceId'] ?? '').slice(0, 80)
      throw new CliError(`no instance ${instance}: there is no store in ${found.dataDir}`)
    }
    return withLocalStore(where, ({ store, config }) =>
      localCall(async () =>
        killDataOf(dataOf(await runLocalAction(store, config, killRedisSessions, params)), 'action')
      )
    )
  }
}

function killDataOf(data: unknown, from: 'server' | 'action'): KillData {
  const parsed = KILL_DATA.safeParse(data)
  if (!parsed.success) throw new CliError(`KillRedisSessions: unexpected Data from the ${from}`)
  return parsed.data
}

const COLUMNS: Column<KillData['Sessions'][number]>[] = [
  { header: 'NODE', priority: 2, cell: (s) => s.NodeId },
  { header: 'ID', priority: 1, align: 'right', cell: (s) => String(s.Id) },
  { header: 'ADDR', priority: 3, cell: (s) => s.Addr },
  { header: 'NAME', priority: 2, cell: (s) => s.Name },
  { header: 'RESULT', priority: 0, cell: (s) => s.Result },
  { header: 'REASON', priority: 4, cell: (s) => s.Reason ?? '' },
]

function renderKill(data: KillData, width: number | undefined): string {
  const count = (result: string) => data.Sessions.filter((s) => s.Result === result).length
  const summary = [
    `killed ${data.Killed}`,
    ...['would-kill', 'gone', 'protected', 'failed'].map((kind) => `${kind} ${count(kind)}`),
  ].join(', ')
  if (data.Sessions.length === 0) {
    const where = data.Complete === false ? ' on the nodes that answered' : ''
    return `no session matches${where} (${summary})`
  }
  return `${renderTable(data.Sessions, COLUMNS, width)}\n${summary}`
}

/**
 * Prints the result; exit 1 (partial) when a kill failed or a node could not be listed (its
 * sessions were not looked at: "no session matches" would not be the whole truth), with each
 * such node and its cause on stderr, as `sessions` does.
 */
function show(data: KillData, options: KillCommandOptions): number {
  process.stdout.write(
    (options.json === true
      ? JSON.stringify(data)
      : renderKill(data, terminalWidth(process.stdout, process.env))) + '\n'
  )
  const nodes = reportNodes(data)
  return data.Sessions.some((s) => s.Result === 'failed') ? EXIT_PARTIAL : nodes
}

/** Writes the nodes that did not answer the listing on stderr; EXIT_PARTIAL when there are. */
function reportNodes(data: KillData): number {
  const failed = (data.Nodes ?? []).filter((node) => node.Status === 'error')
  for (const node of failed) {
    const cause = node.Error === undefined ? 'no answer' : `${node.Error.Message}`
    process.stderr.write(`node ${node.NodeId} failed: ${cause}\n`)
  }
  return failed.length > 0 || data.Complete === false ? EXIT_PARTIAL : EXIT_OK
}

/** The nodes of two calls: a node failed in either is failed. */
function mergeNodes(known: KillData['Nodes'], more: KillData['Nodes']): KillData['Nodes'] {
  if (known === undefined) return more
  if (more === undefined) return known
  const byId = new Map(known.map((node) => [node.NodeId, node]))
  for (const node of more) {
    if (node.Status === 'error' || !byId.has(node.NodeId)) byId.set(node.NodeId, node)
  }
  return [...byId.values()]
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}
