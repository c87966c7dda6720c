import { createServer } from 'node:net'

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 (bind to port 0, read it, close).
 * The port is only free at the moment of the call: callers must retry when the server they start
 * reports "Address already in use" (fixed or guessed ports collide with ephemeral ports, `redis.md` §11.11).
 */
export async function freePort(): Promise<number> {
  return await listenOnce(0)
}

/**
 * A free port whose cluster-bus twin (port + `offset`, default 10000) is free as well and still a valid
 * port. Redis Cluster listens on both; the kernel's ephemeral range reaches 60999, so some picks are
 * too high for a bus port and are skipped.
 */
export async function freePortWithBus(offset = 10_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await freePort()
    if (port + offset > 65_535) continue
    if (await isFree(port + offset)) return port
  }
  throw new Error(`no free port p with p+${offset} also free after 50 attempts`)
}

/** True when `port` can be bound on 127.0.0.1 right now. */
export async function isFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port)
    return true
  } catch {
    return false
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : undefined
      server.close(() => {
        if (bound === undefined) reject(new Error('listen() did not report a TCP port'))
        else resolve(bound)
      })
    })
  })
}
