import { ReplyParseError } from '../../errors.ts'
import type { RedisCommand } from '../redis-command.ts'
import { replyText } from '../reply.ts'
import type { SlotRange } from './cluster-shards.ts'

/** One line of `CLUSTER NODES`. */
export interface ClusterNodesEntry {
  id: string
  /** Announced ip, `""` when unknown (a fresh `myself`, a `noaddr` node). IPv6 without brackets. */
  ip: string
  /** Client port; 0 when unknown. */
  port: number
  /** Cluster bus port (4.0+), `undefined` before. */
  busPort: number | undefined
  /** `cluster-announce-hostname` (7.0+), `undefined` when unset. */
  hostname: string | undefined
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, `nofailover`, `noflags`. */
  flags: ReadonlySet<string>
  /** The master's id for a replica, `undefined` for a master (`-`). */
  masterId: string | undefined
  /** `connected` or `disconnected`. */
  linkState: string
  /** Owned slot ranges; migrating/importing entries (`[5461->-id]`) are left out. */
  slots: SlotRange[]
}

const COMMAND = 'CLUSTER NODES'

/**
 * `CLUSTER NODES` (3.0+, all versions). One line per node (captured from 7.0.15):
 * `fb3f… 127.0.0.1:27101@37101,node-b.example myself,master - 0 1795859060000 2 connected 5461-10922`.
 * The address is parsed at `,` (hostname, 7.0+), `@` (bus port, 4.0+) and the last `:`
 * (IPv6 ips are printed without brackets); flags become a set, never substring-tested.
 */
export const CLUSTER_NODES = {
  args: () => ['CLUSTER', 'NODES'],
  parse: (reply: unknown, node: string): ClusterNodesEntry[] =>
    parseClusterNodes(replyText(reply, node, COMMAND), node),
} satisfies RedisCommand<[], ClusterNodesEntry[]>

/** Parses `CLUSTER NODES` text; exported for the fixture tests. */
export function parseClusterNodes(text: string, node: string): ClusterNodesEntry[] {
  const entries: ClusterNodesEntry[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim()
    if (line !== '') entries.push(parseLine(line, i + 1, node))
  }
  return entries
}

function parseLine(line: string, lineNumber: number, node: string): ClusterNodesEntry {
  const fail = (why: string): ReplyParseError =>
    new ReplyParseError(
      `${node}: ${COMMAND} line ${lineNumber}: ${why}`,
      node,
      COMMAND,
      lineNumber,
      line
    )
  const [id, address, flags, master, , , , linkState, ...slotTokens] = line.split(' ')
  if (id === undefined || address === undefined || flags === undefined || linkState === undefined) {
    throw fail('fewer than 8 fields')
  }
  const comma = address.indexOf(',')
  const hostname = comma < 0 ? '' : address.slice(comma + 1)
  const hostPort = comma < 0 ? address : address.slice(0, comma)
  const at = hostPort.indexOf('@')
  const ipPort = at < 0 ? hostPort : hostPort.slice(0, at)
  const colon = ipPort.lastIndexOf(':')
  if (colon < 0) throw fail(`address '${address}' has no port`)
  const port = parseDecimal(ipPort.slice(colon + 1))
  const busPort = at < 0 ? undefined : parseDecimal(hostPort.slice(at + 1))
  if (port === undefined || (at >= 0 && busPort === undefined))
    throw fail(`bad address '${address}'`)
  return {
    id,
    ip: ipPort.slice(0, colon),
    port,
    busPort,
    hostname: hostname === '' ? undefined : hostname,
    flags: new Set(flags.split(',')),
    masterId: master === undefined || master === '-' ? undefined : master,
    linkState,
    slots: slotTokens.flatMap((token) => parseSlotToken(token, fail)),
  }
}

function parseSlotToken(token: string, fail: (why: string) => Error): SlotRange[] {
  if (token.startsWith('[')) return [] // slot being migrated/imported: owned by its current master
  const dash = token.indexOf('-')
  const start = parseDecimal(dash < 0 ? token : token.slice(0, dash))
  const end = dash < 0 ? start : parseDecimal(token.slice(dash + 1))
  if (start === undefined || end === undefined || end > 16383 || start > end) {
    throw fail(`bad slot range '${token}'`)
  }
  return [[start, end]]
}

function parseDecimal(text: string): number | undefined {
  return /^\d{1,5}$/.test(text) ? Number(text) : undefined
}
