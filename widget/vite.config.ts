import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * shared/ builds zod schemas at module level; the widget reads only plain data (PROVIDERS, ERRORS)
 * from it, so those calls are marked pure there and zod drops out of the bundle. (Marking every
 * call of a function named `z` pure instead also drops Preact's own `z`s: the hooks' cleanup on
 * unmount and the style setter, in their minified builds.)
 */
const pureSchemas = {
  name: 'll-pure-shared-schemas',
  enforce: 'pre' as const,
  transform: (code: string, id: string) =>
    /[\\/]shared[\\/][\w-]+\.ts$/.test(id) ? code.replace(/\bz\./g, '/* @__PURE__ */ z.') : null,
}

/**
 * Vite wraps each `import()` of an app build in a preload helper (3 KB) that preloads the chunk's
 * CSS and dependencies with <link> tags: the widget has no CSS files, and its chunks import what
 * they need themselves, so the helper only imports, and the chunks call `import()` directly (each
 * `__vitePreload(() => import(…), __VITE_PRELOAD__)` becomes `(() => import(…))()`, which the
 * minifier makes `import(…)`; a chunk whose calls are not all of that form is left as it is).
 */
const PRELOAD_HELPER = '\0vite/preload-helper.js'
const PRELOAD_CALL = '__vitePreload(() => '
const PRELOAD_END = ', __VITE_PRELOAD__)'
const plainImports = {
  name: 'll-plain-dynamic-imports',
  enforce: 'pre' as const,
  load: (id: string) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load()' : null),
  renderChunk: (code: string) =>
    code.split(PRELOAD_CALL).length === code.split(PRELOAD_END).length
      ? code.replaceAll(PRELOAD_CALL, '(() => ').replaceAll(PRELOAD_END, ')()')
      : null,
}

/**
 * The stylesheets are written a rule or two a line, for reading (styles/*.ts, history/sheet.ts, the
 * sync button's): CSS needs none of those line breaks, so the build leaves them out. Each is after
 * a `{`, `}`, `;` or `,` (the build fails otherwise), so nothing else changes.
 */
const cssLines = {
  name: 'll-css-lines',
  enforce: 'pre' as const,
  transform: (code: string, id: string) =>
    /[\\/]widget[\\/].+\.tsx?$/.test(id) && code.includes('CSS = `')
      ? code.replace(/(CSS = `)([^`]*)`/g, (_, start: string, css: string) => {
          if (/[^{};,]\n/.test(css.trim())) throw new Error(`${id}: a CSS line break the build cannot drop`)
          return `${start}${css.replace(/\n/g, '')}\``
        })
      : null,
}

/**
 * The widget's modules: `vite build -c widget/vite.config.ts` writes dist/widget/core.js (the
 * badges and the page's session, an ES module) and a chunk for each part loaded when first shown
 * (the panel, the sync button, the history), named by their content so they can be cached for
 * good. The loader a host's script tag names (dist/widget.js) is built by vite.loader.config.ts.
 */
// eslint-disable-next-line no-restricted-syntax -- vite reads a config file's default export
export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [pureSchemas, plainImports, cssLines],
  // Preact's classic `h(type, props, ...children)` rather than the automatic runtime's
  // `jsx(type, { ...props, children: [...] })`: the same elements in fewer bytes (measured: 0.35 KB
  // gzip over the whole set, 0.18 KB of it in the core). The tests and the type check keep the
  // automatic runtime (tsconfig.json): Preact builds the same vnodes from both.
  oxc: {
    jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' },
    jsxInject: "import { h, Fragment } from 'preact'",
  },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: false,
    cssCodeSplit: false,
    rolldownOptions: {
      input: 'widget/core.ts',
      // The core's export (`install`) is what the loader calls.
      preserveEntrySignatures: 'exports-only',
      output: {
        format: 'es',
        entryFileNames: 'core.js',
        // Letters, digits, - and _ only (what the BFF serves under /widget/): a module named with a dot is not.
        chunkFileNames: (chunk) => `${chunk.name.replace(/[^A-Za-z0-9_-]/g, '-')}-[hash].js`,
        codeSplitting: {
          // Everything the core needs in one file beside it, whichever lazy parts share it: a page
          // of badges loads three files, not a chunk per combination of importers. And what every
          // lazy part needs beyond the core (hooks, useWatch, the error box, the sheet
          // they share) in one more, loaded with the first of them.
          groups: [
            { name: 'base', tags: ['$initial'] },
            {
              name: 'parts',
              test: /preact[\\/]hooks|parts-sheet|state[\\/](hooks|page-context)|components[\\/]problem/,
            },
          ],
        },
      },
    },
  },
})
