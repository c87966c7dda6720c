import assert from 'node:assert/strict'
import { readdir, readFile, readlink } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'

/** A TCP port that accepts connections and never answers or closes them. */
export interface BlackHole {
  port: number
  /** Connections accepted so far. */
  accepted(): number
  close(): Promise<void>
}

/**
 * Starts a server on 127.0.0.1 that accepts every connection and never sends a byte nor
 * closes its side, even once the client ends its own (`allowHalfOpen`): a firewall or a
 * stopped process as a client sees it.
 */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted++
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {
    port: address.port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * The TCP sockets process `pid` holds open to `port` (any state: an ended socket waiting for
 * its peer counts), from Linux's /proc; undefined where there is no /proc.
 */
export async function socketsTo(pid: number, port: number): Promise<number | undefined> {
  const table = await readFile(`/proc/${pid}/net/tcp`, 'utf8').catch(() => undefined)
  if (table === undefined) return undefined
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set<string>()
  for (const row of table.split('\n').slice(1)) {
    const fields = row.trim().split(/\s+/)
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (fields[2]?.endsWith(`:${hexPort}`) === true && fields[9] !== undefined) {
      inodes.add(fields[9])
    }
  }
  let held = 0
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1]
    if (inode !== undefined && inodes.has(inode)) held++
  }
  return held
}
