import { spawn } from 'node:child_process'

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Wall time of a whole process, ms; stdout discarded; rejects on a non-zero exit. */
export async function timeProcess(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv
): Promise<number> {
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: env ?? process.env,
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 || code === 1
        ? resolve()
        : reject(new Error(`${command} exited ${code}: ${stderr.slice(0, 300)}`))
    )
  })
  return performance.now() - started
}

/** Wall time of an async function, ms. */
export async function timeCall(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

/** Peak resident set (VmHWM) of a process, MB, from /proc. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kb === undefined ? Number.NaN : Number(kb) / 1024
}
