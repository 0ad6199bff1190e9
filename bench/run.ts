// Runs every bench/<figure>.bench.ts script (or those named by --only), each in its own process,
// collects the figures they print, shows a table and writes bench/results.json.
//   npm run bench                         every figure
//   npm run bench -- --only status_route_rps
import { spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FIGURE_PREFIX, type Figure } from './lib.ts'

const dir = import.meta.dirname
const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } })
const only = values.only?.flatMap((o) => o.split(','))
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort()
const unknown = only?.filter((o) => !available.includes(o)) ?? []
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(2)
}

function runScript(name: string): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, `${name}.bench.ts`)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const figures: Figure[] = []
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        if (line.startsWith(FIGURE_PREFIX))
          figures.push(JSON.parse(line.slice(FIGURE_PREFIX.length)) as Figure)
        else if (line.trim()) process.stderr.write(`  ${line}\n`)
      }
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(figures) : reject(new Error(`${name} exited with ${code}`)),
    )
  })
}

const results: Figure[] = []
for (const name of only ?? available) {
  process.stderr.write(`running ${name}…\n`)
  results.push(...(await runScript(name)))
}

const header = ['figure', 'value', 'baseline', 'ratio', 'goal']
const rows = results.map((f) => [
  f.name,
  `${f.value} ${f.unit}`,
  `${f.baseline} ${f.unit}`,
  String(f.ratio),
  f.goal,
])
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ''].join('\n'))
writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n')
