import { z } from 'zod'
import type { SessionsSnapshot } from '../core/collect/sessions-snapshot.ts'
import type { NodeOutcome } from '../core/collect/node-outcome.ts'
import { CoreError, type CoreErrorCode } from '../core/errors.ts'
import { parseEndpoint } from '../core/redis/node-address.ts'
import type { ClientSession } from '../core/sessions/client-session.ts'
import type { RedisNode } from '../core/topology/topology.ts'
import { CliError } from './cli-error.ts'

const num = z.number()
const optNum = num.optional()
const optStr = z.string().optional()

// The wire shape presentAllSessionsJson writes (contract §3 and its extensions).
const SESSION = z.object({
  NodeId: z.string(),
  Id: num,
  Addr: z.string(),
  Client: z.string(),
  Fd: num,
  Name: z.string(),
  Age: z.string().regex(/^\d+$/),
  Idle: num,
  Flags: z.string(),
  Db: num,
  Sub: num,
  Psub: num,
  Multi: num,
  Qbuf: num,
  QbufFree: num,
  Obl: num,
  Oll: num,
  Omem: num,
  Events: z.string(),
  Cmd: z.string(),
  ClientDesc: z.string(),
  ...{ User: optStr, Laddr: optStr, Resp: optNum, LibName: optStr, LibVer: optStr },
  ...{ TotMem: optNum, ArgvMem: optNum, MultiMem: optNum, Rbs: optNum, Rbp: optNum },
  ...{ Ssub: optNum, Watch: optNum, Redir: optNum, IoThread: optNum, TotNetIn: optNum },
  ...{ TotNetOut: optNum, TotCmds: optNum, Capa: optStr },
  Extra: z.record(z.string(), z.string()).optional(),
})
const NODE = z.object({
  NodeId: z.string(),
  Address: z.string(),
  Role: z.enum(['master', 'replica', 'proxy']),
  Shard: num,
  Status: z.enum(['ok', 'error']),
  Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
  LatencyMs: num,
})
const DATA = z.object({ Timestamp: num, Sessions: z.array(SESSION), Nodes: z.array(NODE) })

type WireSession = z.infer<typeof SESSION>

const CORE_ERROR_CODES: readonly CoreErrorCode[] = [
  'ConnectFailed', 'AuthFailed', 'TlsFailed', 'Timeout', 'NoPermission', 'CommandDisabled',
  'ReplyError', 'ReplyParseError', 'TopologyDiscoveryFailed', 'InvalidRedisUrl', 'NotRedis',
  'NodeUnavailable',
] // prettier-ignore

/** A snapshot rebuilt from a server's answer, and the server's `ClientDesc` of each client. */
export interface RemoteSnapshot {
  snapshot: SessionsSnapshot
  aliasOf: (client: string) => string
}

/**
 * Reads the `Data` of GetRedisAllSession (as a remote server answers it) back into a
 * snapshot, so `sessions <InstanceId> --endpoint` filters and renders exactly like the
 * local path. Throws a CliError when the answer does not have the documented shape.
 */
export function snapshotFromData(data: unknown): RemoteSnapshot {
  const parsed = DATA.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`
    throw new CliError(`the server's GetRedisAllSession answer has an unexpected shape${where}`)
  }
  const byNode = new Map<string, ClientSession[]>()
  const aliases = new Map<string, string>()
  for (const wire of parsed.data.Sessions) {
    let list = byNode.get(wire.NodeId)
    if (list === undefined) byNode.set(wire.NodeId, (list = []))
    list.push(sessionOf(wire))
    if (wire.ClientDesc !== '') aliases.set(wire.Client, wire.ClientDesc)
  }
  const outcomes = parsed.data.Nodes.map((wire): NodeOutcome => {
    const node: RedisNode = {
      nodeId: wire.NodeId,
      address: parseEndpoint(wire.Address),
      role: wire.Role,
      shard: wire.Shard,
    }
    const tookMs = wire.LatencyMs
    if (wire.Status === 'ok')
      return { ok: true, node, tookMs, sessions: byNode.get(wire.NodeId) ?? [] }
    const code = CORE_ERROR_CODES.find((known) => known === wire.Error?.Code) ?? 'ReplyError'
    const error = new CoreError(code, wire.Error?.Message ?? 'failed', wire.Address)
    return { ok: false, node, tookMs, error }
  })
  // The topology kind is not on the wire; renderers do not use it.
  const kind = outcomes.some((outcome) => outcome.node.role === 'proxy') ? 'nodes' : 'standalone'
  return {
    snapshot: {
      timestamp: parsed.data.Timestamp,
      topology: { kind, nodes: outcomes.map((outcome) => outcome.node) },
      outcomes,
    },
    aliasOf: (client) => aliases.get(client) ?? '',
  }
}

function sessionOf(w: WireSession): ClientSession {
  // Every key present, in one shape, as parseClientList builds sessions.
  return {
    id: w.Id, addr: w.Addr, client: w.Client, laddr: w.Laddr, fd: w.Fd, name: w.Name,
    age: Number(w.Age), idle: w.Idle, flags: w.Flags, db: w.Db, sub: w.Sub, psub: w.Psub,
    ssub: w.Ssub, multi: w.Multi, watch: w.Watch, qbuf: w.Qbuf, qbufFree: w.QbufFree,
    argvMem: w.ArgvMem, multiMem: w.MultiMem, rbs: w.Rbs, rbp: w.Rbp, obl: w.Obl, oll: w.Oll,
    omem: w.Omem, totMem: w.TotMem, events: w.Events, cmd: w.Cmd, user: w.User, redir: w.Redir,
    resp: w.Resp, libName: w.LibName, libVer: w.LibVer, ioThread: w.IoThread,
    totNetIn: w.TotNetIn, totNetOut: w.TotNetOut, totCmds: w.TotCmds, capa: w.Capa,
    extra: w.Extra,
  } // prettier-ignore
}
