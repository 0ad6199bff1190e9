import { fileURLToPath } from 'node:url'
import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * The widget script: `vite build -c widget/vite.config.ts` writes dist/widget.js (IIFE, what the BFF
 * serves at /widget.js) and dist/widget.mjs (the same as an ES module).
 */
// eslint-disable-next-line no-restricted-syntax -- vite reads a config file's default export
export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: 'widget/boot.ts',
      formats: ['iife', 'es'],
      name: 'LedgerLinkWidget',
      fileName: (format) => (format === 'iife' ? 'widget.js' : 'widget.mjs'),
    },
    rolldownOptions: {
      // shared/ builds zod schemas at module level; the widget reads only plain data (PROVIDERS,
      // ERRORS) from it, so those calls are pure here and zod drops out of the bundle.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
})
