import { Hono, type Context } from 'hono'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppEnv } from '../context.ts'

const ASSETS_DIR = join(import.meta.dirname, '..', '..', 'assets')
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' }

/** Small static files (stylesheets of the docs and demo pages, the widget script). Read once, served from memory. */
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

export const assets = new Hono<AppEnv>()
  .get('/assets/:name', (c) => serve(c, c.req.param('name')))
  .get('/widget.js', (c) => serve(c, 'widget.js'))
