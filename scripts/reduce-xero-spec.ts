// Refreshes test/emulators/specs/xero/xero_accounting.json from Xero's own OpenAPI description:
//
//   node scripts/reduce-xero-spec.ts path/to/xero_accounting.yaml <commit of XeroAPI/Xero-OpenAPI>
//
// The Xero emulator checks requests against the spec (test/emulators/xero/api/spec.ts). Parsing
// the 900 KB YAML took over a second in every test process, so the repository ships the part the
// emulator reads, as JSON: per operation its id, OAuth scopes, query parameters and the $ref of its
// JSON body; the query parameters of components.parameters those operations use; and every
// component schema reachable from those. What is kept is copied unchanged, so validation is the
// same; descriptions, examples, responses and header or path parameters are left out.
// See test/emulators/specs/README.md.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

type Json = Record<string, unknown>
interface Parameter {
  $ref?: string
  name?: string
  in?: string
  required?: boolean
  schema?: Json
}

const OUT = fileURLToPath(new URL('../test/emulators/specs/xero/xero_accounting.json', import.meta.url))
const METHODS = ['get', 'put', 'post', 'delete', 'patch']
const REPO = 'XeroAPI/Xero-OpenAPI'

const [input, commit] = process.argv.slice(2)
if (!input || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
  process.stderr.write('usage: node scripts/reduce-xero-spec.ts <xero_accounting.yaml> <40-hex commit>\n')
  process.exit(2)
}
const text = readFileSync(input, 'utf8')
const doc = parse(text) as { openapi: string; info: Json; paths: Record<string, Json>; components: Json }
const componentParams = doc.components.parameters as Record<string, Parameter>
const componentSchemas = doc.components.schemas as Record<string, Json>

const usedParams = new Set<string>()
const schemaRoots = new Set<string>()

/** `#/components/<kind>/<name>…` → name, for the kinds this reduction follows. */
const refName = (ref: string, kind: string) =>
  ref.startsWith(`#/components/${kind}/`) ? ref.split('/')[3] : undefined

function collectSchemaRefs(node: unknown, into: Set<string>) {
  if (Array.isArray(node)) for (const n of node) collectSchemaRefs(n, into)
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      const name = k === '$ref' && typeof v === 'string' ? refName(v, 'schemas') : undefined
      if (name) into.add(name)
      else collectSchemaRefs(v, into)
    }
}

/** The query parameters of a list, as the emulator reads them; header and path ones are unused. */
function queryParams(list: Parameter[] | undefined): Parameter[] {
  const kept: Parameter[] = []
  for (const p of list ?? []) {
    const name = p.$ref ? refName(p.$ref, 'parameters') : undefined
    const resolved = name ? componentParams[name] : p
    if (!resolved) throw new Error(`unresolved parameter ${p.$ref}`)
    if (resolved.in !== 'query' || !resolved.schema) continue
    collectSchemaRefs(resolved.schema, schemaRoots)
    if (name) {
      usedParams.add(name)
      kept.push({ $ref: p.$ref! })
    } else kept.push({ name: p.name!, in: 'query', required: p.required ?? false, schema: p.schema! })
  }
  return kept
}

const paths: Record<string, Json> = {}
for (const [template, item] of Object.entries(doc.paths)) {
  const out: Json = {}
  const shared = queryParams(item.parameters as Parameter[] | undefined)
  if (shared.length) out.parameters = shared
  for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
    const op = item[method] as Json & {
      requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> }
    }
    const reduced: Json = { operationId: op.operationId }
    if (op.security) reduced.security = op.security
    const params = queryParams(op.parameters as Parameter[] | undefined)
    if (params.length) reduced.parameters = params
    const bodyRef = op.requestBody?.content?.['application/json']?.schema?.$ref
    if (bodyRef) {
      collectSchemaRefs({ $ref: bodyRef }, schemaRoots)
      reduced.requestBody = { content: { 'application/json': { schema: { $ref: bodyRef } } } }
    }
    out[method] = reduced
  }
  paths[template] = out
}

// Close over $refs between schemas, keeping the upstream order.
const reachable = new Set<string>()
const queue = [...schemaRoots]
while (queue.length) {
  const name = queue.pop()!
  if (reachable.has(name)) continue
  const schema = componentSchemas[name]
  if (!schema) throw new Error(`unresolved schema ${name}`)
  reachable.add(name)
  const refs = new Set<string>()
  collectSchemaRefs(schema, refs)
  queue.push(...refs)
}
const pick = <T>(all: Record<string, T>, keep: Set<string>) =>
  Object.fromEntries(Object.entries(all).filter(([name]) => keep.has(name)))

const reducedDoc = {
  'x-reduced-from': {
    repository: REPO,
    commit,
    path: 'xero_accounting.yaml',
    sha256: createHash('sha256').update(text).digest('hex'),
    by: 'scripts/reduce-xero-spec.ts',
  },
  openapi: doc.openapi,
  info: { title: doc.info.title, version: doc.info.version },
  paths,
  components: { parameters: pick(componentParams, usedParams), schemas: pick(componentSchemas, reachable) },
}
writeFileSync(OUT, JSON.stringify(reducedDoc, null, 1) + '\n')
process.stdout.write(
  `${OUT}: ${Object.keys(paths).length} paths, ${usedParams.size}/${Object.keys(componentParams).length} ` +
    `parameters, ${reachable.size}/${Object.keys(componentSchemas).length} schemas\n`,
)
