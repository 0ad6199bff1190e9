import preact from '@preact/preset-vite'
import { defineConfig } from 'wxt'

// The browser extension (DESIGN section 7): WXT, Manifest V3, Chrome and Firefox. It reuses the
// widget's components; its entrypoints arrive with the extension work.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'LedgerLink',
    description: 'Send invoices from any web app to Xero, QuickBooks or Sage.',
    browser_specific_settings: { gecko: { id: 'extension@ledgerlink.example' } },
  },
  zip: { excludeSources: ['**/node_modules/**', 'data/**', 'dist/**', 'test/**', 'bench/**'] },
})
