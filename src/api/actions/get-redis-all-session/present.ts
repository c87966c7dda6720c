import type { SessionsSnapshot } from '../../../core/collect/sessions-snapshot.ts'
import { countSessions, isComplete } from '../../../core/collect/sessions-snapshot.ts'
import { formatAddress } from '../../../core/redis/node-address.ts'
import type { ClientSession } from '../../../core/sessions/client-session.ts'
import { groupSessions } from '../../../core/stats/group-sessions.ts'

/** Alias (`ClientDesc`) of a client address; `""` when none (contract §5). */
export type AliasOf = (client: string) => string

const NO_ALIAS: AliasOf = () => ''

/**
 * The `Data` object of GetRedisAllSession (contract §3) as JSON text. This is the
 * only place that knows the DAS PascalCase names; it writes JSON directly from the
 * snapshot, with no intermediate copy of 50k session objects (a 48k-session reply is
 * ~20 MB of JSON).
 */
export function presentAllSessionsJson(
  snapshot: SessionsSnapshot,
  aliasOf: AliasOf = NO_ALIAS
): string {
  const cachedAliasOf = memoize(aliasOf)
  // One string per session, joined once: `json +=` over 50k sessions builds a rope whose
  // intermediate strings kept the garbage collector busy for most of the time (CPU profile).
  const sessions: string[] = []
  for (const outcome of snapshot.outcomes) {
    if (!outcome.ok) continue
    const nodeIdJson = JSON.stringify(outcome.node.nodeId)
    for (const session of outcome.sessions) {
      sessions.push(sessionJson(session, nodeIdJson, cachedAliasOf(session.client)))
    }
  }
  let json = `{"Timestamp":${snapshot.timestamp},"Total":${countSessions(snapshot)},"Sessions":[`
  json += sessions.join(',')
  json += '],"SourceStats":' + sourceStatsJson(snapshot, cachedAliasOf)
  json += ',"Nodes":' + JSON.stringify(presentNodes(snapshot))
  json += `,"Complete":${isComplete(snapshot)}}`
  return json
}

/** `Data.Nodes[]`: one entry per node with its status (contract §3 extensions). */
export function presentNodes(snapshot: SessionsSnapshot): PresentedNode[] {
  return snapshot.outcomes.map((outcome) => ({
    NodeId: outcome.node.nodeId,
    Address: formatAddress(outcome.node.address),
    Role: outcome.node.role,
    Shard: outcome.node.shard,
    Status: outcome.ok ? 'ok' : 'error',
    ...(outcome.ok ? {} : { Error: { Code: outcome.error.code, Message: outcome.error.message } }),
    Total: outcome.ok ? outcome.sessions.length : 0,
    LatencyMs: Math.round(outcome.tookMs * 10) / 10,
  }))
}

export interface PresentedNode {
  NodeId: string
  Address: string
  Role: string
  Shard: number
  Status: 'ok' | 'error'
  Error?: { Code: string; Message: string }
  Total: number
  LatencyMs: number
}

function sessionJson(s: ClientSession, nodeIdJson: string, clientDesc: string): string {
  // DAS's 21 fields with DAS's types (Age is a string), in the order of the DAS example.
  let json =
    `{"Sub":${s.sub},"Psub":${s.psub},"Idle":${s.idle},"Flags":${str(s.flags)},"Oll":${s.oll}` +
    `,"QbufFree":${s.qbufFree},"Multi":${s.multi},"Omem":${s.omem},"Qbuf":${s.qbuf}` +
    `,"Name":${str(s.name)},"Obl":${s.obl},"Client":${str(s.client)},"Cmd":${str(s.cmd)}` +
    `,"Id":${s.id},"Addr":${str(s.addr)},"NodeId":${nodeIdJson},"Age":"${s.age}","Db":${s.db}` +
    `,"Events":${str(s.events)},"Fd":${s.fd},"ClientDesc":${str(clientDesc)}`
  // Extensions, only when the server reported them (SDK models ignore unknown fields).
  if (s.user !== undefined) json += `,"User":${str(s.user)}`
  if (s.laddr !== undefined) json += `,"Laddr":${str(s.laddr)}`
  if (s.resp !== undefined) json += `,"Resp":${s.resp}`
  if (s.libName !== undefined) json += `,"LibName":${str(s.libName)}`
  if (s.libVer !== undefined) json += `,"LibVer":${str(s.libVer)}`
  if (s.totMem !== undefined) json += `,"TotMem":${s.totMem}`
  if (s.argvMem !== undefined) json += `,"ArgvMem":${s.argvMem}`
  if (s.multiMem !== undefined) json += `,"MultiMem":${s.multiMem}`
  if (s.rbs !== undefined) json += `,"Rbs":${s.rbs}`
  if (s.rbp !== undefined) json += `,"Rbp":${s.rbp}`
  if (s.ssub !== undefined) json += `,"Ssub":${s.ssub}`
  if (s.watch !== undefined) json += `,"Watch":${s.watch}`
  if (s.redir !== undefined) json += `,"Redir":${s.redir}`
  if (s.ioThread !== undefined) json += `,"IoThread":${s.ioThread}`
  if (s.totNetIn !== undefined) json += `,"TotNetIn":${s.totNetIn}`
  if (s.totNetOut !== undefined) json += `,"TotNetOut":${s.totNetOut}`
  if (s.totCmds !== undefined) json += `,"TotCmds":${s.totCmds}`
  if (s.capa !== undefined) json += `,"Capa":${str(s.capa)}`
  if (s.extra !== undefined) json += `,"Extra":${JSON.stringify(s.extra)}`
  return json + '}'
}

function sourceStatsJson(snapshot: SessionsSnapshot, aliasOf: AliasOf): string {
  const entries = groupSessions(snapshot, 'ip').map(
    (group) =>
      `{"Key":${str(group.key)},"Count":"${group.count}","ActiveCount":"${group.activeCount}"` +
      `,"Ids":[${group.ids.join(',')}],"ClientDesc":${str(aliasOf(group.key))}}`
  )
  return `[${entries.join(',')}]`
}

// Printable ASCII without `"` and `\`: what names, flags, commands and addresses almost always
// are. Such a string is its own JSON body; testing is ~10× cheaper than JSON.stringify, which
// was half of the presenter's time at 10k sessions (measured from dist: 44–88 ms → see
// docs/performance.md).
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

function str(value: string): string {
  return PLAIN_JSON_STRING.test(value) ? `"${value}"` : JSON.stringify(value)
}

function memoize(aliasOf: AliasOf): AliasOf {
  // ~200 distinct clients for 50k sessions: resolve each once per response.
  const cache = new Map<string, string>()
  return (client) => {
    let alias = cache.get(client)
    if (alias === undefined) {
      alias = aliasOf(client)
      cache.set(client, alias)
    }
    return alias
  }
}
