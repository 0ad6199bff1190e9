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

const DIST = join(import.meta.dirname, '..', '..', '..', 'dist')
const widgetFiles = new Map<string, string>()

/**
 * The widget, built from widget/ by `npm run build:widget` (npm start and npm test build it first):
 * `/widget.js` (the loader a host's script tag names) and `/widget/<module>.js` (the core and the
 * chunks it imports). Modules are fetched with CORS when the host's page is on another origin, so
 * they say anyone may read them (they hold no secret); chunks are named by their content and
 * cached for good, the loader and the core for five minutes.
 */
function serveWidget(c: Context<AppEnv>, file: string) {
  if (!/^(widget\.js|widget\/[A-Za-z0-9_-]+\.js)$/.test(file)) return c.notFound()
  let body = widgetFiles.get(file)
  if (body === undefined) {
    try {
      body = readFileSync(join(DIST, file), 'utf8')
    } catch {
      return file === 'widget.js' || file === 'widget/core.js'
        ? c.text('The widget is not built: run npm run build:widget', 503)
        : c.notFound()
    }
    widgetFiles.set(file, body)
  }
  const hashed = !/^widget(\.js|\/core\.js)$/.test(file)
  return c.body(body, 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Access-Control-Allow-Origin': '*',
  })
}

export const assets = new Hono<AppEnv>()
  .get('/assets/:name', (c) => serve(c, c.req.param('name')))
  .get('/widget.js', (c) => serveWidget(c, 'widget.js'))
  .get('/widget/:file', (c) => serveWidget(c, `widget/${c.req.param('file')}`))
  .get('/favicon.ico', (c) => c.body(null, 204))
