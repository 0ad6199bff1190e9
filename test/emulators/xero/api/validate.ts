import type { ErrorObject } from 'ajv'
import type { MiddlewareHandler } from 'hono'
import { GRANULAR_SCOPES_BY_RESOURCE, XERO_FACTS } from '../facts.ts'
import { XERO_MESSAGES } from '../messages.ts'
import type { ApiEnv } from './env.ts'
import type { ErrorElement } from './errors.ts'
import { notFound, problem, requestRefused, validationException } from './errors.ts'
import type { SpecOperation } from './spec.ts'
import { loadXeroSpec } from './spec.ts'

const API_PREFIX = /^\/api\.xro\/2\.0/

/** The scopes that open an operation: the spec's, plus the granular ones that replace them (PROVIDERS 1.2). */
function allowedScopes(op: SpecOperation): string[] {
  const resource = op.template.split('/')[1] ?? ''
  const granular = GRANULAR_SCOPES_BY_RESOURCE[resource]
  if (!granular) return op.scopes
  return [...op.scopes, granular.write, ...(op.method === 'GET' ? [granular.read] : [])]
}

/** Query strings carry text; the spec's types say how to read it before checking. */
function coerce(raw: string, schema: Record<string, unknown>): unknown {
  switch (schema.type) {
    case 'boolean':
      return /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : raw
    case 'integer':
    case 'number':
      return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw
    case 'array':
      return raw.split(',').map((s) => s.trim().replace(/^"|"$/g, ''))
    default:
      return raw
  }
}

function describe(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .filter(Boolean)
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
    .join('')
    .replace(/^\./, '')
  return `${path || 'The request body'} ${e.message ?? 'is invalid'}`
}

/** Ajv errors grouped per element of the body's collection, each element echoed as Xero does. */
function toElements(body: unknown, errors: ErrorObject[]): ErrorElement[] {
  const grouped = new Map<string, ErrorElement>()
  for (const e of errors) {
    const [, collection, index] = e.instancePath.split('/')
    const list = collection && (body as Record<string, unknown>)[collection]
    const element = Array.isArray(list) && index !== undefined ? (list[Number(index)] as object) : undefined
    const key = element ? `${collection}/${index}` : ''
    const entry = grouped.get(key) ?? { ...(element ?? {}), ValidationErrors: [] }
    entry.ValidationErrors.push({ Message: describe(e) })
    grouped.set(key, entry)
  }
  return [...grouped.values()]
}

/**
 * Checks each request against xero_accounting.yaml before a route sees it: the operation must
 * exist, the token must hold one of its scopes, declared query parameters must have the declared
 * types, and a JSON body must match the operation's schema. What the spec forbids gets Xero's 400.
 */
export const validateAgainstSpec: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const url = new URL(c.req.url)
  const path = url.pathname.replace(API_PREFIX, '')
  const op = loadXeroSpec().find(c.req.method, path)
  if (!op) return notFound(c)
  const scopes = allowedScopes(op)
  if (!scopes.some((s) => c.var.grant.scopes.includes(s))) return problem(c, 401, 'AuthorizationUnsuccessful')

  const query: Record<string, unknown> = {}
  for (const p of op.query) {
    const raw = url.searchParams.get(p.name)
    if (raw === null) continue
    const value = coerce(raw, p.schema)
    if (!p.validate(value))
      return requestRefused(c, `The value '${raw}' is not valid for parameter '${p.name}'`)
    query[p.name] = value
  }
  const ims = c.req.header('if-modified-since')
  if (ims !== undefined && Number.isNaN(Date.parse(ims))) {
    return requestRefused(c, `The value '${ims}' is not valid for header 'If-Modified-Since'`)
  }
  c.set('query', query)

  if (op.validateBody) {
    const text = await c.req.text()
    if (Buffer.byteLength(text) > XERO_FACTS.maxBodyBytes) return c.text(XERO_MESSAGES.requestTooLarge, 413)
    if (!c.req.header('content-type')?.includes('application/json')) {
      return requestRefused(c, 'The request body must be application/json')
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return requestRefused(c, 'The request body is not valid JSON')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return requestRefused(c, `The request body must be a ${op.bodySchema} object`)
    }
    if (!op.validateBody(body)) return validationException(c, toElements(body, op.validateBody.errors ?? []))
    c.set('body', body)
  }
  await next()
}
