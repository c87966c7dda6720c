/**
 * Console tests need web/dist. `npm test` builds it first (scripts/test.sh); a test file run on
 * its own rebuilds it when it is missing or older than a source file. A lock directory keeps
 * test files started together from building over each other.
 */
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url))
const INDEX = join(WEB_DIR, 'dist', 'index.html')
const LOCK = join(WEB_DIR, '.build-lock')
const LOCK_STALE_MS = 120_000

/** Builds web/dist with Vite unless it is up to date. */
export async function ensureConsoleBuilt(): Promise<void> {
  for (;;) {
    const built = await mtime(INDEX)
    if (built !== undefined && built >= (await newestSource())) return
    try {
      await mkdir(LOCK)
    } catch {
      const lockAge = Date.now() - ((await mtime(LOCK)) ?? 0)
      if (lockAge > LOCK_STALE_MS) await rmdir(LOCK).catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 250))
      continue
    }
    try {
      const { build } = await import('vite')
      await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' })
      return
    } finally {
      await rmdir(LOCK).catch(() => undefined)
    }
  }
}

async function newestSource(): Promise<number> {
  let newest = (await mtime(join(WEB_DIR, 'index.html'))) ?? 0
  const entries = await readdir(join(WEB_DIR, 'src'), { recursive: true, withFileTypes: true })
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue
    newest = Math.max(newest, (await mtime(join(entry.parentPath, entry.name))) ?? 0)
  }
  return newest
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs
  } catch {
    return undefined
  }
}
