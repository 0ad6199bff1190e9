import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CSS } from './styles/sheet.ts'

// STYLE.md's widget rules, checked over the widget's own sources (tests excluded).
const dir = import.meta.dirname
const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$|test-support|vite\.config/.test(f))
  .map((f) => ({ file: relative(dir, join(dir, f)), text: readFileSync(join(dir, f), 'utf8') }))

describe('widget sources', () => {
  it('are found', () => expect(sources.length).toBeGreaterThan(10))

  it.each([
    ['eval', /\beval\s*\(|new Function\s*\(/],
    ['HTML strings', /innerHTML|outerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write/],
    ['storage of any kind', /localStorage|sessionStorage|document\.cookie|indexedDB/],
    ['inline styles', /\bstyle=\{/],
  ])('use no %s', (_name, pattern) => {
    expect(sources.filter((s) => pattern.test(s.text)).map((s) => s.file)).toEqual([])
  })

  it('call fetch only in api/client.ts', () => {
    const callers = sources.filter((s) => /\bfetch\s*\(|EventSource/.test(s.text)).map((s) => s.file)
    expect(callers).toEqual([join('api', 'client.ts')])
  })

  it('import shared/ types and data only, never server/', () => {
    const bad = sources.filter((s) => /from '(\.\.\/)+server\//.test(s.text)).map((s) => s.file)
    expect(bad).toEqual([])
  })
})

describe('the stylesheet', () => {
  it('is themed only through --ll-* (its own variables are set on the panel, out of the host’s reach)', () => {
    const used = new Set([...CSS.matchAll(/var\(--([\w-]+)/g)].map((m) => m[1]!))
    const declaredInside = new Set([...CSS.matchAll(/[{;\s]--([\w-]+):/g)].map((m) => m[1]!))
    const external = [...used].filter((v) => !declaredInside.has(v))
    expect(external.length).toBeGreaterThan(5)
    expect(external.filter((v) => !v.startsWith('ll-'))).toEqual([])
    expect([...declaredInside].filter((v) => v.startsWith('ll-'))).toEqual([])
  })

  it('keeps the host page’s inherited styles out', () => {
    expect(CSS).toContain(':host{all:initial')
  })
})
