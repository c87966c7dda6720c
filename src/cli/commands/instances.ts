import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { PresentedInstance } from '../../api/actions/instances/present-instance.ts'
import { formatAddress } from '../../core/redis/node-address.ts'
import { parseRedisUrl } from '../../core/redis/parse-redis-url.ts'
import { CliError, readOptionFile } from '../cli-error.ts'
import { topologyOfFlags, type TopologyFlags } from '../command-flags.ts'
import { terminalWidth } from '../format/terminal-width.ts'
import { renderTable } from '../format/text-table.ts'
import {
  localBackend,
  remoteBackend,
  type InstanceList,
  type InstancesBackend,
  type Registration,
} from '../instances-backend.ts'
import { DATA_DIR_OPTION_HELP } from '../local-store.ts'
import { ENDPOINT_OPTION_HELP, remoteTargetFrom } from '../remote-client.ts'

interface WhereOptions {
  dataDir?: string
  endpoint?: string
}

interface AddOptions extends WhereOptions, TopologyFlags {
  description?: string
  skipCheck?: boolean
  tlsCa?: string
  tlsInsecure?: boolean
  addressMap?: string
  json?: boolean
}

/**
 * `redis-sessions instances add|list|remove` (contract §8): the registry, in the local
 * store or, with `--endpoint`, on a server.
 */
export function registerInstances(program: Command): void {
  const instances = program
    .command('instances')
    .description('registered deployments: add, list, remove')
  const where = (command: Command) =>
    command
      .option('--data-dir <dir>', DATA_DIR_OPTION_HELP)
      .option('--endpoint <url>', ENDPOINT_OPTION_HELP)
  where(instances.command('add'))
    .description('register a deployment (probed unless --skip-check)')
    .argument('<InstanceId>', 'new id: lower-case letters, digits, -, e.g. r-prod-cache')
    .argument('<redis-url>', 'redis://[user:pass@]host:port[,host:port…], rediss://…, unix:///path')
    .option('--cluster', 'a Redis Cluster (default: detected by the probe)')
    .option('--sentinel <name>', 'the URL lists sentinels; NAME is the monitored master')
    .option('--nodes', 'exactly the listed endpoints (proxies), no discovery')
    .option('--description <text>', 'free text (at most 256 characters)')
    .option('--skip-check', 'do not connect first (topology standalone unless given)')
    .option('--tls-ca <file>', 'CA bundle (PEM) for rediss://')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option(
      '--address-map <from=to,…>',
      'announced host:port → reachable host:port, comma-separated from=to (NAT, Docker, announced addresses)'
    )
    .option('--json', 'print the Data object of AddRedisInstance')
    .action(async (instanceId: string, url: string, options: AddOptions) => {
      const registration = await backendFor(options).add(addParams(instanceId, url, options))
      process.stdout.write(
        options.json === true ? JSON.stringify(registration) + '\n' : describeAdded(registration)
      )
    })
  where(instances.command('list'))
    .description('every registered instance (never a password)')
    .option('--json', 'print {"Total", "Instances"} as DescribeRedisInstances presents them')
    .action(async (options: WhereOptions & { json?: boolean }) => {
      const list = await backendFor(options).list()
      process.stdout.write(options.json === true ? JSON.stringify(list) + '\n' : renderList(list))
    })
  where(instances.command('remove'))
    .description('unregister an instance (its aliases and history go with it)')
    .argument('<InstanceId>')
    .action(async (instanceId: string, options: WhereOptions) => {
      await backendFor(options).remove(instanceId)
      process.stdout.write(`removed ${instanceId}\n`)
    })
}

function backendFor(options: WhereOptions): InstancesBackend {
  const target = remoteTargetFrom(options.endpoint, process.env)
  return target === undefined ? localBackend(options.dataDir, process.env) : remoteBackend(target)
}

/** The URL and flags as AddRedisInstance parameters (the same for the local and remote paths). */
function addParams(instanceId: string, url: string, options: AddOptions): Record<string, string> {
  const kinds = [options.cluster === true, options.sentinel !== undefined, options.nodes === true]
  if (kinds.filter(Boolean).length > 1) {
    throw new CliError('give at most one of --cluster, --sentinel NAME, --nodes')
  }
  const parsed = parseRedisUrl(url)
  // Without a probe nothing tells standalone from cluster: standalone, as documented.
  const topology =
    topologyOfFlags(options) ?? (options.skipCheck === true ? 'standalone' : undefined)
  const { username, password, tls } = parsed.connection
  const params: Record<string, string> = {
    InstanceId: instanceId,
    Endpoints: parsed.endpoints.map(formatAddress).join(','),
  }
  if (topology !== undefined) params['Topology'] = topology
  if (username !== undefined) params['Username'] = username
  if (password !== undefined) params['Password'] = password
  if (tls !== undefined) params['Tls'] = 'true'
  if (options.tlsCa !== undefined) {
    params['TlsCa'] = readOptionFile('--tls-ca', options.tlsCa, (f) => readFileSync(f, 'utf8'))
  }
  if (options.tlsInsecure === true) params['TlsSkipVerify'] = 'true'
  if (options.sentinel !== undefined) params['SentinelMasterName'] = options.sentinel
  if (options.description !== undefined) params['Description'] = options.description
  if (options.skipCheck === true) params['SkipCheck'] = 'true'
  // Sent as written: the server validates it (InvalidParams naming the entry).
  if (options.addressMap !== undefined) params['AddressMap'] = options.addressMap
  return params
}

function describeAdded(registration: Registration): string {
  const { InstanceId, Topology, Nodes } = registration
  if (Nodes === undefined) return `added ${InstanceId} (${Topology}, not checked)\n`
  const roles = new Map<string, number>()
  for (const node of Nodes) roles.set(node.Role, (roles.get(node.Role) ?? 0) + 1)
  const counts = [...roles].map(([role, count]) => `${count} ${role}${count === 1 ? '' : 's'}`)
  return `added ${InstanceId} (${Topology}: ${counts.join(', ')})\n`
}

function renderList(list: InstanceList): string {
  if (list.Total === 0) return 'no instances registered (add one: redis-sessions instances add)\n'
  const width = terminalWidth(process.stdout, process.env)
  const table = renderTable(
    list.Instances,
    [
      { header: 'INSTANCE', priority: 1, cell: (i) => i.InstanceId },
      { header: 'TOPOLOGY', priority: 1, cell: (i) => i.Topology },
      { header: 'ENDPOINTS', priority: 2, cell: (i) => i.Endpoints.join(',') },
      { header: 'AUTH', priority: 3, cell: (i) => authOf(i.Username, i.HasPassword) },
      { header: 'TLS', priority: 3, cell: (i) => (i.Tls.Enabled ? 'on' : 'off') },
      { header: 'LAST LISTING', priority: 2, cell: (i) => lastListingOf(i.LastCollection) },
      { header: 'DESCRIPTION', priority: 4, cell: (i) => i.Description },
    ],
    width
  )
  return table.endsWith('\n') ? table : table + '\n'
}

/** `LastCollection` in a cell: sessions and failed nodes, or the error; `-` when none yet. */
function lastListingOf(last: PresentedInstance['LastCollection']): string {
  if (last === undefined) return '-'
  if (last.Error !== undefined) return `failed: ${last.Error.Code}`
  const failed = last.Complete ? '' : `, ${last.FailedNodes}/${last.Nodes} nodes failed`
  return `${last.Total} sessions${failed}`
}

function authOf(username: string, hasPassword: boolean): string {
  if (!hasPassword) return username === '' ? 'none' : username
  return `${username === '' ? 'default' : username}:****`
}
