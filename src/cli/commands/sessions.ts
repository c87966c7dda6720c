import type { Command } from 'commander'
import { DEFAULT_NODE_TIMEOUT_MS } from '../../core/redis/connection-options.ts'
import { compileSessionFilter } from '../../core/filter/session-filter.ts'
import { GROUP_BY } from '../../core/stats/group-sessions.ts'
import { CliError, describeError, parseIntegerOption } from '../cli-error.ts'
import { DATA_DIR_OPTION_HELP, ENDPOINT_OPTION_HELP } from '../option-help.ts'
import { oneListing, watch, withTlsPortHint, type Show } from '../sessions-listing.ts'
import {
  filterFromOptions,
  formatOf,
  isRedisUrl,
  parseGroupBy,
  refuseConflicts,
  type SessionsOptions,
} from '../sessions-options.ts'
import { instanceSource, urlSource } from '../sessions-source.ts'
import { deploymentFromUrl } from '../sessions-url.ts'

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
