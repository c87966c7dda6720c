import { readdir, readFile, readlink } from 'node:fs/promises'

export { startBlackHole, type BlackHole } from '../support/black-hole.ts'

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
