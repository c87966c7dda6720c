import type { Command } from 'commander'
import { loadConfig } from '../../config/load-config.ts'
import { startServer } from '../../server/start-server.ts'
import { parseIntegerOption } from '../cli-error.ts'

/** `redis-sessions serve [--host H] [--port P] [--data-dir D]` (contract §8). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the DAS-compatible API and the console')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--port <port>', 'port (env PORT, default 8080)')
    .option(
      '--data-dir <dir>',
      'SQLite store and key file (env REDIS_SESSIONS_DATA_DIR, default ./data)'
    )
    .action(async (options: { host?: string; port?: string; dataDir?: string }) => {
      const config = loadConfig(process.env, {
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.port === undefined
          ? {}
          : { port: parseIntegerOption('--port', options.port, 0) }),
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      })
      const server = await startServer(config)
      // Graceful shutdown: stop accepting, finish requests in flight, close the store.
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1)
        )
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
