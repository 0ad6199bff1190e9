// widget_gzip_bytes: the gzip size of widget.js (built here from widget/vite.config.ts, exactly as
// `npm run build:widget` builds it), against the floor: Preact + @preact/signals alone, with one
// tiny custom element, built the same way in the same run. Budget: 20 KB gzip.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Rolldown } from 'vite'
import { report } from './lib.ts'

const root = join(import.meta.dirname, '..')
const BUDGET = 20 * 1024

type Output = Rolldown.RolldownOutput | Rolldown.RolldownOutput[]

function chunk(output: Output, fileName: string): string {
  const files = [output].flat().flatMap((o) => o.output)
  const found = files.find((f) => f.fileName === fileName)
  if (found?.type !== 'chunk') throw new Error(`the build made no ${fileName}`)
  return found.code
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length

const widget = chunk(
  (await build({
    configFile: join(root, 'widget', 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false },
  })) as Output,
  'widget.js',
)

const FLOOR_ENTRY = 'll-floor-entry.js'
const FLOOR = `
import { render } from 'preact'
import { jsx } from 'preact/jsx-runtime'
import { signal } from '@preact/signals'
const count = signal(0)
const Counter = () => jsx('button', { onClick: () => count.value++, children: ['Clicked ', count] })
customElements.define('ll-floor', class extends HTMLElement {
  connectedCallback() { render(jsx(Counter, {}), this.attachShadow({ mode: 'open' })) }
})
`
const floor = chunk(
  (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'floor-entry',
        enforce: 'pre',
        resolveId: (id) => (id.endsWith(FLOOR_ENTRY) ? `\0${FLOOR_ENTRY}` : null),
        load: (id) => (id === `\0${FLOOR_ENTRY}` ? FLOOR : null),
      },
    ],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: FLOOR_ENTRY, formats: ['iife'], name: 'Floor', fileName: () => 'floor.js' },
    },
  })) as Output,
  'floor.js',
)

const built = join(root, 'dist', 'widget.js')
if (existsSync(built) && readFileSync(built, 'utf8') !== widget)
  console.log('dist/widget.js differs from the current sources: run npm run build:widget')

const value = gzip(widget)
console.log(`widget.js: ${widget.length} bytes minified, ${value} gzip (budget ${BUDGET})`)
report({
  name: 'widget_gzip_bytes',
  value,
  unit: 'bytes',
  baseline: gzip(floor),
  goal: `value <= ${BUDGET} (20 KB gzip); baseline = Preact + signals alone`,
})
