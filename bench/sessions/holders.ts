import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const HOLDER = fileURLToPath(new URL('./hold-connections.ts', import.meta.url))
/** Connections per holder process: below the 20,000 open files a process may have here. */
const PER_PROCESS = 16_000

export interface Holders {
  total: number
  close(): Promise<void>
}

/** Opens `count` idle connections to each port, spread over as many child processes as needed. */
export async function holdConnections(ports: readonly number[], count: number): Promise<Holders> {
  const plans: { port: number; count: number }[][] = [[]]
  let room = PER_PROCESS
  for (const port of ports) {
    let left = count
    while (left > 0) {
      const take = Math.min(left, room)
      plans.at(-1)?.push({ port, count: take })
      left -= take
      room -= take
      if (room === 0) {
        plans.push([])
        room = PER_PROCESS
      }
    }
  }
  const children = await Promise.all(plans.filter((plan) => plan.length > 0).map(startHolder))
  return {
    total: ports.length * count,
    async close() {
      await Promise.all(children.map(stopHolder))
    },
  }
}

async function startHolder(plan: { port: number; count: number }[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, JSON.stringify(plan)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`connection holder exited with ${code}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('ready')) resolve()
    })
  })
  child.removeAllListeners('exit')
  return child
}

async function stopHolder(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.stdin?.end()
  setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  await exited
}
