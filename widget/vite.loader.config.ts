import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The loader (dist/widget.js): a classic script that imports dist/widget/core.js. See boot.ts. */
// eslint-disable-next-line no-restricted-syntax -- vite reads a config file's default export
export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: 'widget/loader.ts',
      formats: ['iife'],
      name: 'LedgerLinkLoader',
      fileName: () => 'widget.js',
    },
  },
})
