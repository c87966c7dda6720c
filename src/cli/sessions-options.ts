import type { SessionFilter } from '../core/filter/session-filter.ts'
import { GROUP_BY, type GroupBy } from '../core/stats/group-sessions.ts'
import { CliError, parseIntegerOption } from './cli-error.ts'
import type { FilterFlags, TopologyFlags } from './command-flags.ts'

/**
 * The options of `redis-sessions sessions`, as commander names them. The checks below run
 * before any connection is made; what they refuse is one line, exit 2.
 */
export interface SessionsOptions extends TopologyFlags, FilterFlags {
  json?: boolean
  csv?: boolean
  by?: string
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

/** How one listing is printed. */
export type ListingFormat = 'table' | 'json' | 'csv'

/** `--json`, `--csv`, else a table. */
export function formatOf(options: SessionsOptions): ListingFormat {
  return options.json === true ? 'json' : options.csv === true ? 'csv' : 'table'
}

/**
 * Options that contradict each other, or that the target cannot use, are refused rather than
 * silently ignored (one line, exit 2).
 */
export function refuseConflicts(
  kind: 'url' | 'instance',
  target: string,
  options: SessionsOptions
): void {
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
  // As AddRedisInstance refuses AddressMap for Topology nodes: nothing is announced there.
  if (options.nodes === true && options.addressMap !== undefined) {
    throw new CliError(
      '--address-map is not for --nodes: the listed endpoints are connected as given (write the reachable addresses in the URL)'
    )
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

/** `redis://`, `rediss://`, `unix://`: a URL this process lists; anything else is an InstanceId. */
export function isRedisUrl(target: string): boolean {
  return /^(rediss?|unix|redis\+unix):/i.test(target)
}

export function filterFromOptions(options: SessionsOptions): SessionFilter {
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

export function parseGroupBy(value: string | undefined): GroupBy | undefined {
  if (value === undefined) return undefined
  const found = GROUP_BY.find((dimension) => dimension === value)
  if (found === undefined) throw new CliError(`--by must be one of ${GROUP_BY.join(', ')}`)
  return found
}
