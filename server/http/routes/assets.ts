import { Hono, type Context } from 'hono'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppEnv } from '../context.ts'

const ASSETS_DIR = join(import.meta.dirname, '..', '..', 'assets')
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' }

/** Small static files (stylesheets and scripts of the docs, demo and OAuth pages). Read once, served from memory. */
const cache = new Map<string, string>()
function load(name: string): string | null {
  if (!/^[a-z0-9-]+\.(css|js)$/.test(name)) return null
  if (!cache.has(name)) {
    try {
      cache.set(name, readFileSync(join(ASSETS_DIR, name), 'utf8'))
    } catch {
      return null
    }
  }
  return cache.get(name) ?? null
}

function serve(c: Context<AppEnv>, name: string) {
  const body = load(name)
  if (body === null) return c.notFound()
  return c.body(body, 200, {
    'Content-Type': TYPES[name.split('.').pop()!] ?? 'application/octet-stream',
    'Cache-Control': 'public, max-age=300',
  })
}

const WIDGET = join(import.meta.dirname, '..', '..', '..', 'dist', 'widget.js')
let widget: string | undefined

/** The widget, built from widget/ by `npm run build:widget` (npm start and npm test build it first). */
function serveWidget(c: Context<AppEnv>) {
  try {
    widget ??= readFileSync(WIDGET, 'utf8')
  } catch {
    return c.text('The widget is not built: run npm run build:widget', 503)
  }
  return c.body(widget, 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=300',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  })
}

export const assets = new Hono<AppEnv>()
  .get('/assets/:name', (c) => serve(c, c.req.param('name')))
  .get('/widget.js', serveWidget)
  .get('/favicon.ico', (c) => c.body(null, 204))
