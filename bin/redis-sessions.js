#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the `prepare` script).
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('redis-sessions is not built: run `npm run build` (npm install does it).')
    process.exit(2)
  }
  throw error
})
