import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

/**
 * The Accounting API description every accepted request is checked against (issue 4, fidelity):
 * Xero's xero_accounting.yaml reduced to the parts read here, as JSON, by scripts/reduce-xero-spec.ts
 * (test/emulators/specs/README.md says where it comes from and how to refresh it).
 */
const SPEC_PATH = fileURLToPath(new URL('../../specs/xero/xero_accounting.json', import.meta.url))
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch'])

type Schema = Record<string, unknown>
interface SpecParameter {
  name: string
  in: 'query' | 'header' | 'path'
  required?: boolean
  schema?: Schema
  $ref?: string
}

export interface SpecOperation {
  operationId: string
  method: string
  template: string
  pattern: RegExp
  scopes: string[]
  query: { name: string; schema: Schema; validate: ValidateFunction }[]
  /** e.g. `Invoices`: the component schema of the JSON body, when the operation takes one. */
  bodySchema?: string
  validateBody?: ValidateFunction
}

export interface XeroSpec {
  operations: SpecOperation[]
  find(method: string, path: string): SpecOperation | undefined
}

// ajv-formats is CJS with a default export; under Node's ESM interop it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => void

let loaded: XeroSpec | undefined

/** Compiling the validators takes a moment, so it happens once per process. */
export function loadXeroSpec(): XeroSpec {
  loaded ??= buildSpec(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Schema)
  return loaded
}

function buildSpec(doc: Schema): XeroSpec {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  const components = doc.components as { parameters: Record<string, SpecParameter> }
  ajv.addSchema({ $id: 'xero', components })
  const resolveParam = (p: SpecParameter): SpecParameter =>
    p.$ref ? components.parameters[p.$ref.split('/').pop()!]! : p

  const operations: SpecOperation[] = []
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    const shared = ((item.parameters as SpecParameter[] | undefined) ?? []).map(resolveParam)
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i')
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.has(method)) continue
      const op = raw as {
        operationId: string
        security?: { OAuth2?: string[] }[]
        parameters?: SpecParameter[]
        requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> }
      }
      const params = [...shared, ...(op.parameters ?? []).map(resolveParam)]
      const bodyRef = op.requestBody?.content?.['application/json']?.schema?.$ref
      const bodySchema = bodyRef?.split('/').pop()
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        template,
        pattern,
        scopes: (op.security ?? []).flatMap((s) => s.OAuth2 ?? []),
        query: params
          .filter((p) => p.in === 'query' && p.schema)
          .map((p) => ({ name: p.name, schema: p.schema!, validate: ajv.compile(withXeroRefs(p.schema!)) })),
        ...(bodySchema
          ? { bodySchema, validateBody: ajv.compile({ $ref: `xero#/components/schemas/${bodySchema}` }) }
          : {}),
      })
    }
  }
  return {
    operations,
    find: (method, path) => operations.find((o) => o.method === method && o.pattern.test(path)),
  }
}

/** Parameter schemas may point into components; make those pointers absolute. */
function withXeroRefs(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"xero#/components/')) as Schema
}
