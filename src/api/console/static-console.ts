/**
 * Serves the web console (web/dist, built by Vite) from the API server: `GET /` asked for by a
 * browser answers `index.html`, `/assets/…` the hashed bundles. `/` stays the RPC endpoint for
 * every request that carries a query string or an `x-acs-action` header (V1 GET, V3 POST).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** `web/dist` of this checkout: the same path from `src/api/console/` and `dist/api/console/`. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/** Assets have content hashes in their names, so they never change: cache them for a year. */
const ASSET_MAX_AGE = '365d'

/**
 * The Content-Security-Policy of every HTML answer (the console page, and any other `text/html`
 * through createApp's headers): the one definition. The console only talks to its own origin;
 * styles are set through the CSSOM (Preact, uPlot), which `style-src 'self'` allows; the favicon
 * is a `data:` URI; its sign-in form is handled by script, so no form may submit anywhere.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
}

/** Options of {@link registerConsoleStatic}. */
export interface ConsoleStaticOptions {
  /** Directory holding `index.html` and `assets/`; default {@link CONSOLE_DIST_DIR}. */
  distDir?: string
}

/**
 * True for a browser opening the console: `GET`/`HEAD` of exactly `/` (no query string), no
 * `x-acs-action` header, and `Accept` naming `text/html`. Every RPC call has a query or the
 * header, so it never matches.
 */
export function isConsolePageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  if (request.raw.url !== '/') return false
  if (request.headers['x-acs-action'] !== undefined) return false
  const accept = request.headers.accept
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html')
}

/** Adds the console page and its assets to `app` (call from `createApp`). */
export function registerConsoleStatic(app: FastifyInstance, options: ConsoleStaticOptions = {}) {
  const distDir = options.distDir ?? CONSOLE_DIST_DIR
  void app.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: ASSET_MAX_AGE,
    setHeaders: (reply) => {
      void reply.header('x-content-type-options', 'nosniff')
    },
  })
  app.addHook('onRequest', async (request, reply) => {
    if (!isConsolePageRequest(request)) return
    await sendIndex(reply, distDir)
  })
}

async function sendIndex(reply: FastifyReply, distDir: string): Promise<void> {
  let html: string
  try {
    html = await readFile(join(distDir, 'index.html'), 'utf8')
  } catch {
    await reply
      .code(503)
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><title>redis-sessions</title><p>The console is not built. ' +
          'Run <code>npm run build</code> (or <code>npm install</code>), then reload.</p>'
      )
    return
  }
  await reply.code(200).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html)
}
