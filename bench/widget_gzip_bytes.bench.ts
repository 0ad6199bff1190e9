// widget_gzip_bytes and widget_badges_gzip_bytes: what the split widget costs a page, built here
// from widget/vite.config.ts (the core and its chunks) and widget/vite.loader.config.ts (the
// loader), exactly as `npm run build:widget` builds them. Each file is gzipped on its own, as a
// browser fetches it, and the sizes summed:
//   widget_badges_gzip_bytes  a page of badges only: the loader, core.js and every chunk core.js
//                             imports statically (transitively), not those reached only by import()
//   widget_gzip_bytes         every file
// Each beside the floor: Preact + hooks + @preact/signals-core + the JSX runtime with one tiny
// custom element, built as an ES module the same way in the same run.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Rolldown } from 'vite'
import { report } from './lib.ts'

const root = join(import.meta.dirname, '..')
const BADGES_BUDGET = 12 * 1024
const TOTAL_BUDGET = 30 * 1024

type Output = Rolldown.RolldownOutput | Rolldown.RolldownOutput[]

/** The chunks of a build (the widget makes no assets: its CSS is in its modules). */
const chunksOf = (output: Output) =>
  [output]
    .flat()
    .flatMap((o) => o.output)
    .filter((f): f is Rolldown.OutputChunk => f.type === 'chunk')

const gzip = (code: string) => gzipSync(code, { level: 9 }).length

const built = (config: string) =>
  build({
    configFile: join(root, 'widget', config),
    logLevel: 'silent',
    build: { write: false },
  }) as Promise<Output>

const modules = chunksOf(await built('vite.config.ts'))
const loader = chunksOf(await built('vite.loader.config.ts')).find((c) => c.fileName === 'widget.js')
if (!loader) throw new Error('the loader build made no widget.js')
const core = modules.find((c) => c.fileName === 'core.js')
if (!core) throw new Error('the widget build made no core.js')

/** core.js and what it imports statically, transitively: what a badges-only page fetches. */
const byName = new Map(modules.map((c) => [c.fileName, c]))
const eager = new Set<string>()
for (const queue = [core.fileName]; queue.length;) {
  const name = queue.pop()!
  if (eager.has(name)) continue
  eager.add(name)
  queue.push(...(byName.get(name)?.imports ?? []))
}

// Paths as dist/ holds them: the loader beside the widget/ folder of modules.
const files = [
  { path: 'widget.js', code: loader.code, eager: true },
  ...modules.map((c) => ({ path: `widget/${c.fileName}`, code: c.code, eager: eager.has(c.fileName) })),
].map((f) => ({ ...f, gzip: gzip(f.code) }))

const FLOOR_ENTRY = 'll-floor-entry.js'
const FLOOR = `
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { jsx } from 'preact/jsx-runtime'
import { signal, effect } from '@preact/signals-core'
const count = signal(0)
const Counter = () => {
  const [value, set] = useState(count.peek())
  useEffect(() => effect(() => set(count.value)), [])
  return jsx('button', { onClick: () => count.value++, children: ['Clicked ', value] })
}
customElements.define('ll-floor', class extends HTMLElement {
  connectedCallback() { render(jsx(Counter, {}), this.attachShadow({ mode: 'open' })) }
})
`
const floorChunks = chunksOf(
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
      lib: { entry: FLOOR_ENTRY, formats: ['es'], fileName: () => 'floor.js' },
    },
  })) as Output,
)
const floor = floorChunks.reduce((sum, c) => sum + gzip(c.code), 0)

// What the server serves is dist/: say so when it is not what these sources build.
const dist = join(root, 'dist')
const stale = files.filter(
  (f) => !existsSync(join(dist, f.path)) || readFileSync(join(dist, f.path), 'utf8') !== f.code,
)
const extra = existsSync(join(dist, 'widget'))
  ? readdirSync(join(dist, 'widget')).filter((n) => n.endsWith('.js') && !byName.has(n))
  : []
if (stale.length || extra.length)
  console.log(
    `WARNING: dist/ differs from the current sources (${[...stale.map((f) => f.path), ...extra.map((n) => `widget/${n}`)].join(', ')}): run npm run build:widget`,
  )

const width = Math.max(...files.map((f) => f.path.length))
const sum = (xs: typeof files) => xs.reduce((s, f) => s + f.gzip, 0)
console.log(`${'file'.padEnd(width)}  ${'minified'.padStart(8)}  ${'gzip'.padStart(6)}  loaded`)
for (const f of [...files].sort((a, b) => Number(b.eager) - Number(a.eager) || b.gzip - a.gzip))
  console.log(
    `${f.path.padEnd(width)}  ${String(f.code.length).padStart(8)}  ${String(f.gzip).padStart(6)}  ${f.eager ? 'with the badges' : 'when shown'}`,
  )
console.log(`floor (Preact + hooks + signals-core + JSX runtime, one element): ${floor} gzip`)

report({
  name: 'widget_badges_gzip_bytes',
  value: sum(files.filter((f) => f.eager)),
  unit: 'bytes',
  baseline: floor,
  goal: `value <= ${BADGES_BUDGET} (12 KB gzip, a page of badges only); baseline = the Preact + signals floor`,
})
report({
  name: 'widget_gzip_bytes',
  value: sum(files),
  unit: 'bytes',
  baseline: floor,
  goal: `value <= ${TOTAL_BUDGET} (30 KB gzip, every file); baseline = the Preact + signals floor`,
})
