/**
 * Child process of the sessions benchmark: opens idle client connections and holds them.
 * argv[2] = JSON `[{port, count}]`. Each connection names itself (every third one) and sends
 * PING, so CLIENT LIST shows realistic lines; prints `ready <n>` once all replied, exits when
 * stdin closes. A process may hold 20,000 open files on these machines: callers split the load.
 */
import { connect, type Socket } from 'node:net'

interface Target {
  port: number
  count: number
}

const targets = JSON.parse(process.argv[2] ?? '[]') as Target[]
const sockets: Socket[] = []
const BATCH = 500

async function open(port: number, index: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    sockets.push(socket)
    let expected = index % 3 === 0 ? 2 : 1
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      // +OK for SETNAME, +PONG for PING: count the replies' line ends.
      for (const byte of chunk) if (byte === 10) expected--
      if (expected <= 0) resolve()
    })
    const setName = index % 3 === 0 ? `CLIENT SETNAME bench-${port}-${index}\r\n` : ''
    socket.write(`${setName}PING\r\n`)
  })
}

let opened = 0
for (const target of targets) {
  for (let start = 0; start < target.count; start += BATCH) {
    const batch: Promise<void>[] = []
    for (let i = start; i < Math.min(start + BATCH, target.count); i++)
      batch.push(open(target.port, i))
    await Promise.all(batch)
    opened += batch.length
  }
}
process.stdout.write(`ready ${opened}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  for (const socket of sockets) socket.destroy()
  process.exit(0)
})
