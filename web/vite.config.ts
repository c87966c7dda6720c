import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

/** The console: built into web/dist, served by the API server (src/api/console/static.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    reportCompressedSize: true,
  },
})
