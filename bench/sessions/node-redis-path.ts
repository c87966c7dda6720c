import { createClient } from 'redis'

/**
 * The peer path (d): node-redis `clientList()` on every node, mapped to the DAS session
 * shape and serialized — what a service built on node-redis would do for one request.
 */
export async function nodeRedisSessions(ports: readonly number[]): Promise<string> {
  const perNode = await Promise.all(
    ports.map(async (port) => {
      const client = createClient({ url: `redis://127.0.0.1:${port}` })
      await client.connect()
      try {
        const list = await client.clientList()
        return list.map((c) => ({
          Sub: c.sub, Psub: c.psub, Idle: c.idle, Flags: c.flags, Oll: c.oll, QbufFree: c.qbufFree,
          Multi: c.multi, Omem: c.omem, Qbuf: c.qbuf, Name: c.name, Obl: c.obl,
          Client: c.addr.slice(0, c.addr.lastIndexOf(':')), Cmd: c.cmd, Id: c.id, Addr: c.addr,
          NodeId: `bench-db-0#${port}`, Age: String(c.age), Db: c.db, Events: c.events, Fd: c.fd, ClientDesc: '',
        })) // prettier-ignore
      } finally {
        await client.quit()
      }
    })
  )
  const sessions = perNode.flat()
  const bySource = new Map<string, number[]>()
  for (const session of sessions) {
    const ids = bySource.get(session.Client) ?? []
    ids.push(Number(session.Id))
    bySource.set(session.Client, ids)
  }
  const sourceStats = [...bySource].map(([Key, Ids]) => ({ Key, Count: String(Ids.length), Ids }))
  return JSON.stringify({
    Timestamp: Date.now(),
    Total: sessions.length,
    Sessions: sessions,
    SourceStats: sourceStats,
  })
}
