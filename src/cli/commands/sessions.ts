import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { isComplete, type SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../core/redis/connection-options.ts'
import { parseRedisUrl } from '../../core/redis/parse-redis-url.ts'
import { filterSnapshot } from '../../core/filter/filter-snapshot.ts'
import { compileSessionFilter, type SessionFilter } from '../../core/filter/session-filter.ts'
import { GROUP_BY, groupSessions, type GroupBy } from '../../core/stats/group-sessions.ts'
import type { DeploymentSpec } from '../../core/topology/topology.ts'
import { presentAllSessionsJson } from '../../api/actions/get-redis-all-session/present.ts'
import { renderGroups, renderSessionsCsv, renderSessionsTable } from '../format/render-sessions.ts'
import { CliError, EXIT_OK, EXIT_PARTIAL, parseIntegerOption } from '../cli-error.ts'
import { DATA_DIR_OPTION_HELP, ENDPOINT_OPTION_HELP } from '../option-help.ts'
import { instanceSource, urlSource, type CollectedSessions } from '../sessions-source.ts'

interface SessionsOptions {
  cluster?: boolean
  sentinel?: string
  nodes?: boolean
  json?: boolean
  csv?: boolean
  by?: string
  ip?: string
  name?: string
  user?: string
  db?: string
  cmd?: string
  minIdle?: string
  flags?: string
  lib?: string
  node?: string
  watch?: string
  timeout?: string
  tlsCa?: string
  tlsInsecure?: boolean
  clientCommand?: string
  endpoint?: string
  dataDir?: string
}

/** `redis-sessions sessions <InstanceId | redis-url>`: every session of a deployment (contract §8). */
export function registerSessions(program: Command): void {
  program
    .command('sessions')
    .description('list every client session of a deployment, merged across its nodes')
    .argument(
      '<target>',
      'a registered InstanceId, or redis://[user:pass@]host:port, rediss://…, unix:///path'
    )
    .option(
      '--cluster',
      'the seed is a cluster node (auto-detected from cluster_enabled otherwise)'
    )
    .option('--sentinel <name>', 'the URL lists sentinels; NAME is the monitored master')
    .option('--nodes', 'ask exactly the listed endpoints (proxies), no discovery')
    .option('--json', 'print the Data object of GetRedisAllSession')
    .option('--csv', 'print CSV for spreadsheets')
    .option('--by <dimension>', `grouped counts: ${GROUP_BY.join('|')}`)
    .option('--ip <cidr>', 'only clients from this IP or CIDR')
    .option('--name <glob>', 'only client names matching the glob')
    .option('--user <user>', 'only this ACL user')
    .option('--db <n>', 'only this database')
    .option('--cmd <command>', 'only this last command (client|list on 7.0+)')
    .option('--min-idle <seconds>', 'only sessions idle at least this long')
    .option('--flags <letters>', 'only sessions having every flag letter')
    .option('--lib <name>', 'only this client library (lib-name, 7.2+)')
    .option('--node <nodeId>', 'only this node')
    .option('--watch <seconds>', 'refresh in place every SECONDS until Ctrl-C')
    .option('--timeout <ms>', 'per-node timeout', String(DEFAULT_NODE_TIMEOUT_MS))
    .option('--tls-ca <file>', 'CA bundle (PEM) for rediss://')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option('--client-command <name>', 'the name CLIENT was renamed to (rename-command)')
    .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
    .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
    .action(async (target: string, options: SessionsOptions) => {
      process.exitCode = await runSessions(target, options, process.env)
    })
}

async function runSessions(
  target: string,
  options: SessionsOptions,
  env: NodeJS.ProcessEnv
): Promise<number> {
  // A URL is listed by this process; anything else names a registered instance.
  const source = isRedisUrl(target)
    ? urlSource(deploymentFromUrl(target, options))
    : await instanceSource(target, {
        endpoint: options.endpoint,
        dataDir: options.dataDir,
        timeoutMs: parseIntegerOption('--timeout', options.timeout ?? '', 1),
        env,
      })
  try {
    return await showSessions(() => source.collect(), options)
  } finally {
    await source.close()
  }
}

async function showSessions(
  collect: () => Promise<CollectedSessions>,
  options: SessionsOptions
): Promise<number> {
  const keep = compileSessionFilter(filterFromOptions(options))
  const by = parseGroupBy(options.by)
  const render = ({ snapshot, aliasOf }: CollectedSessions) => {
    const shown = filterSnapshot(snapshot, keep)
    const width = process.stdout.isTTY ? process.stdout.columns : undefined
    if (options.json === true) return presentAllSessionsJson(shown, aliasOf)
    // CSV keeps its CRLF line ends (RFC 4180), the last one included.
    if (options.csv === true) return renderSessionsCsv(shown)
    if (by !== undefined) return renderGroups(groupSessions(shown, by), by, width)
    return renderSessionsTable(shown, width)
  }
  const watchSeconds =
    options.watch === undefined ? undefined : parseIntegerOption('--watch', options.watch, 1)
  for (;;) {
    const collected = await collect()
    const { snapshot } = collected
    const failed = snapshot.outcomes.filter((outcome) => !outcome.ok)
    if (failed.length === snapshot.outcomes.length) {
      throw new CliError(failedNodesMessage(snapshot) || 'no node answered')
    }
    const text = render(collected)
    if (watchSeconds === undefined) {
      process.stdout.write(text)
      if (!endsWithNewline(text)) process.stdout.write('\n')
      if (!isComplete(snapshot)) process.stderr.write(failedNodesMessage(snapshot) + '\n')
      return isComplete(snapshot) ? EXIT_OK : EXIT_PARTIAL
    }
    // Home + clear screen, then the new frame: refresh in place.
    process.stdout.write(
      `\x1b[H\x1b[2J${new Date(snapshot.timestamp).toISOString()}  every ${watchSeconds}s\n${text.toString()}\n`
    )
    if (!isComplete(snapshot)) process.stdout.write(failedNodesMessage(snapshot) + '\n')
    await new Promise((resolve) => setTimeout(resolve, watchSeconds * 1000))
  }
}

function failedNodesMessage(snapshot: SessionsSnapshot): string {
  return snapshot.outcomes
    .flatMap((outcome) =>
      outcome.ok ? [] : [`node ${outcome.node.nodeId} failed: ${outcome.error.message}`]
    )
    .join('\n')
}

function isRedisUrl(target: string): boolean {
  return /^(rediss?|unix|redis\+unix):/i.test(target)
}

function deploymentFromUrl(target: string, options: SessionsOptions): DeploymentSpec {
  const url = parseRedisUrl(target)
  const timeoutMs = parseIntegerOption('--timeout', options.timeout ?? '', 1)
  const tls =
    url.connection.tls === undefined
      ? undefined
      : {
          ...url.connection.tls,
          ...(options.tlsCa === undefined ? {} : { ca: readFileSync(options.tlsCa, 'utf8') }),
          ...(options.tlsInsecure === true ? { rejectUnauthorized: false } : {}),
        }
  const kind =
    options.sentinel !== undefined
      ? 'sentinel'
      : options.cluster === true
        ? 'cluster'
        : options.nodes === true
          ? 'nodes'
          : 'auto'
  return {
    instanceId: 'cli',
    kind,
    endpoints: url.endpoints,
    sentinelMasterName: options.sentinel,
    connection: {
      ...url.connection,
      tls,
      ...(options.clientCommand === undefined ? {} : { clientCommand: options.clientCommand }),
      connectTimeoutMs: timeoutMs,
      commandTimeoutMs: timeoutMs,
    },
  }
}

function filterFromOptions(options: SessionsOptions): SessionFilter {
  return {
    clientIp: options.ip,
    name: options.name,
    user: options.user,
    db: options.db === undefined ? undefined : parseIntegerOption('--db', options.db, 0),
    cmd: options.cmd,
    minIdle:
      options.minIdle === undefined
        ? undefined
        : parseIntegerOption('--min-idle', options.minIdle, 0),
    flags: options.flags,
    libName: options.lib,
    nodeId: options.node,
  }
}

function parseGroupBy(value: string | undefined): GroupBy | undefined {
  if (value === undefined) return undefined
  const found = GROUP_BY.find((dimension) => dimension === value)
  if (found === undefined) throw new CliError(`--by must be one of ${GROUP_BY.join(', ')}`)
  return found
}

function endsWithNewline(text: string | Buffer): boolean {
  return typeof text === 'string' ? text.endsWith('\n') : text.at(-1) === 0x0a
}
