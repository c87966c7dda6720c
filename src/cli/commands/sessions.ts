import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { isComplete, type SessionsSnapshot } from '../../core/collect/sessions-snapshot.ts'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../core/redis/connection-options.ts'
import { parseRedisUrl } from '../../core/redis/parse-redis-url.ts'
import { filterSnapshot } from '../../core/filter/filter-snapshot.ts'
import { compileSessionFilter, type SessionFilter } from '../../core/filter/session-filter.ts'
import { GROUP_BY, groupSessions, type GroupBy } from '../../core/stats/group-sessions.ts'
import type { AddressMap } from '../../core/redis/node-address.ts'
import type { DeploymentSpec } from '../../core/topology/topology.ts'
import { addressMapParam } from '../../api/actions/instances/address-map-param.ts'
import { ApiError } from '../../api/errors/api-error.ts'
import { presentAllSessionsJson } from '../../api/actions/get-redis-all-session/present.ts'
import { renderGroups, renderSessionsCsv, renderSessionsTable } from '../format/render-sessions.ts'
import {
  CliError,
  describeError,
  EXIT_OK,
  EXIT_PARTIAL,
  parseIntegerOption,
  readOptionFile,
} from '../cli-error.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { writeOut } from '../output.ts'
import { DATA_DIR_OPTION_HELP, ENDPOINT_OPTION_HELP } from '../option-help.ts'
import { instanceSource, urlSource, type CollectedSessions } from '../sessions-source.ts'

/** The instance name of a URL target's nodes: NodeIds read `cli-db-0#6379`. */
const URL_INSTANCE_ID = 'cli'

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
  addressMap?: string
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
    .option(
      '--timeout <ms>',
      'per-node connect and command timeout; one listing ends after max(10 s, 2 × ms + 1 s)',
      String(DEFAULT_NODE_TIMEOUT_MS)
    )
    .option('--tls-ca <file>', 'CA bundle (PEM) for rediss://')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option('--client-command <name>', 'the name CLIENT was renamed to (rename-command)')
    .option(
      '--address-map <from=to,…>',
      'announced host:port → reachable host:port, comma-separated from=to (NAT, Docker, announced addresses)'
    )
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
  const url = isRedisUrl(target)
  refuseConflicts(url ? 'url' : 'instance', target, options)
  // Everything about the options is checked before a connection is made.
  const keep = compileSessionFilter(filterFromOptions(options))
  const by = parseGroupBy(options.by)
  const watchSeconds =
    options.watch === undefined ? undefined : parseIntegerOption('--watch', options.watch, 1)
  const timeoutMs = parseIntegerOption('--timeout', options.timeout ?? '', 1)
  // A URL is listed by this process; anything else names a registered instance.
  const source = url
    ? urlSource(deploymentFromUrl(target, options, timeoutMs))
    : await instanceSource(target, {
        endpoint: options.endpoint,
        dataDir: options.dataDir,
        timeoutMs,
        env,
      })
  const plainUrl = url && !/^rediss:/i.test(target)
  const show: Show = { keep, by, format: formatOf(options), node: options.node, plainUrl, env }
  const collect = async () => {
    try {
      return await source.collect()
    } catch (error) {
      throw plainUrl ? new CliError(withTlsPortHint(describeError(error))) : error
    }
  }
  try {
    if (watchSeconds === undefined) return oneListing(await collect(), show)
    return await watch(collect, show, watchSeconds)
  } finally {
    await source.close()
  }
}

/** How one listing is shown, from the options. */
interface Show {
  keep: ReturnType<typeof compileSessionFilter>
  by: GroupBy | undefined
  format: 'table' | 'json' | 'csv'
  /** `--node`: must name a node of the deployment. */
  node: string | undefined
  /** A `redis://` or `unix://` target: "connection closed" may mean a TLS port. */
  plainUrl: boolean
  env: NodeJS.ProcessEnv
}

/** Prints one listing; the exit code is set before the output, so a closed pipe keeps it. */
function oneListing(collected: CollectedSessions, show: Show): number {
  const text = render(collected, show)
  const { snapshot } = collected
  const code = isComplete(snapshot) ? EXIT_OK : EXIT_PARTIAL
  process.exitCode = code
  writeOut(...(endsWithNewline(text) ? [text] : [text, '\n']))
  if (code === EXIT_PARTIAL) process.stderr.write(failedNodesMessage(snapshot, show) + '\n')
  return code
}

/**
 * `--watch`: a new frame every `seconds` until Ctrl-C (or until the reader of stdout goes).
 * A round that fails — no node answers, discovery fails, the server is unreachable — is a
 * frame too: the time and the reason on one line; the next round tries again.
 */
async function watch(
  collect: () => Promise<CollectedSessions>,
  show: Show,
  seconds: number
): Promise<never> {
  for (;;) {
    const started = Date.now()
    let body: string
    try {
      const collected = await collect()
      const text = render(collected, show).toString()
      const { snapshot } = collected
      const failed = isComplete(snapshot) ? '' : failedNodesMessage(snapshot, show) + '\n'
      body = `${new Date(snapshot.timestamp).toISOString()}  every ${seconds}s\n${text}${endsWithNewline(text) ? '' : '\n'}${failed}`
    } catch (error) {
      body = `${new Date(started).toISOString()}  every ${seconds}s\nfailed: ${describeError(error)}\n`
    }
    // Home + clear screen, then the new frame: refresh in place.
    writeOut(`\x1b[H\x1b[2J${body}`)
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  }
}

/** The listing as text; throws when no node answered or `--node` names none of the nodes. */
function render({ snapshot, aliasOf }: CollectedSessions, show: Show): string | Buffer {
  if (snapshot.outcomes.every((outcome) => !outcome.ok)) {
    throw new CliError(failedNodesMessage(snapshot, show) || 'no node answered')
  }
  if (show.node !== undefined && !snapshot.outcomes.some((o) => o.node.nodeId === show.node)) {
    const known = snapshot.outcomes.map((outcome) => outcome.node.nodeId).join(', ')
    throw new CliError(
      `--node ${show.node.slice(0, 80)} is not a node of this deployment: ${known}`
    )
  }
  const shown = filterSnapshot(snapshot, show.keep)
  const width = terminalWidth(process.stdout, show.env)
  if (show.format === 'json') return presentAllSessionsJson(shown, aliasOf)
  // CSV keeps its CRLF line ends (RFC 4180), the last one included.
  if (show.format === 'csv') return renderSessionsCsv(shown)
  if (show.by !== undefined) return renderGroups(groupSessions(shown, show.by), show.by, width)
  return renderSessionsTable(shown, width)
}

function formatOf(options: SessionsOptions): Show['format'] {
  return options.json === true ? 'json' : options.csv === true ? 'csv' : 'table'
}

/**
 * Options that contradict each other, or that the target cannot use, are refused rather than
 * silently ignored (one line, exit 2).
 */
function refuseConflicts(kind: 'url' | 'instance', target: string, options: SessionsOptions): void {
  if (options.json === true && options.csv === true) {
    throw new CliError('give one of --json, --csv')
  }
  if (options.by !== undefined && (options.json === true || options.csv === true)) {
    throw new CliError(
      '--by prints a table of counts, not with --json or --csv (the --json Data has SourceStats, the counts by IP)'
    )
  }
  const topologies = [
    options.cluster === true && '--cluster',
    options.sentinel !== undefined && '--sentinel',
    options.nodes === true && '--nodes',
  ].filter((given) => given !== false)
  if (topologies.length > 1) {
    throw new CliError(`${topologies.join(', ')}: give one of --cluster, --sentinel NAME, --nodes`)
  }
  const forUrl = [
    ...topologies,
    options.tlsCa !== undefined && '--tls-ca',
    options.tlsInsecure === true && '--tls-insecure',
    options.clientCommand !== undefined && '--client-command',
    options.addressMap !== undefined && '--address-map',
  ].filter((given) => given !== false)
  const forInstance = [
    options.endpoint !== undefined && '--endpoint',
    options.dataDir !== undefined && '--data-dir',
  ].filter((given) => given !== false)
  if (kind === 'instance' && forUrl.length > 0) {
    throw new CliError(
      `${forUrl.join(', ')}: for a redis:// target; a registered instance has its own settings (redis-sessions instances add)`
    )
  }
  if (kind === 'url' && forInstance.length > 0) {
    throw new CliError(`${forInstance.join(', ')}: for a registered InstanceId, not a URL`)
  }
  const tlsOption =
    options.tlsCa !== undefined
      ? '--tls-ca'
      : options.tlsInsecure === true
        ? '--tls-insecure'
        : undefined
  if (kind === 'url' && tlsOption !== undefined && !/^rediss:/i.test(target)) {
    throw new CliError(`${tlsOption} needs a rediss:// URL (TLS)`)
  }
}

function failedNodesMessage(snapshot: SessionsSnapshot, show: Show): string {
  const message = snapshot.outcomes
    .flatMap((outcome) =>
      outcome.ok ? [] : [`node ${outcome.node.nodeId} failed: ${outcome.error.message}`]
    )
    .join('\n')
  return show.plainUrl ? withTlsPortHint(message) : message
}

/**
 * A TLS port closes a plaintext connection without a word: the core reports "connection
 * closed"; for a redis:// target the likely reason is added.
 */
function withTlsPortHint(message: string): string {
  return message.replace(/: connection closed(?=$|\n|;)/gm, '$& (is it a TLS port? use rediss://)')
}

function isRedisUrl(target: string): boolean {
  return /^(rediss?|unix|redis\+unix):/i.test(target)
}

/** A URL target's deployment: its nodes get NodeIds of the instance name `cli` (`cli-db-0#6379`). */
function deploymentFromUrl(
  target: string,
  options: SessionsOptions,
  timeoutMs: number
): DeploymentSpec {
  const url = parseRedisUrl(target)
  const tls =
    url.connection.tls === undefined
      ? undefined
      : {
          ...url.connection.tls,
          ...(options.tlsCa === undefined
            ? {}
            : { ca: readOptionFile('--tls-ca', options.tlsCa, (f) => readFileSync(f, 'utf8')) }),
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
    instanceId: URL_INSTANCE_ID,
    kind,
    endpoints: url.endpoints,
    sentinelMasterName: options.sentinel,
    ...(options.addressMap === undefined
      ? {}
      : { addressMap: addressMapOption(options.addressMap) }),
    connection: {
      ...url.connection,
      tls,
      ...(options.clientCommand === undefined ? {} : { clientCommand: options.clientCommand }),
      connectTimeoutMs: timeoutMs,
      commandTimeoutMs: timeoutMs,
    },
  }
}

/** `--address-map`, read by the same rules as AddRedisInstance's `AddressMap`. */
function addressMapOption(value: string): AddressMap {
  try {
    const mappings = addressMapParam(new Map([['AddressMap', value]])) ?? []
    return new Map(mappings.map(({ from, to }) => [from, to]))
  } catch (error) {
    if (error instanceof ApiError)
      throw new CliError(`--address-map: ${error.detail ?? error.message}`)
    throw error
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
