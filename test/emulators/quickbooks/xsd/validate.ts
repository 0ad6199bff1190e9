import type { XsdSchema } from './schema.ts'

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))

/** One place a JSON value departs from the XSD; `kind` picks the fault the API answers with. */
export interface ShapeViolation {
  kind: 'unknown-property' | 'bad-value'
  path: string
  property: string
  type: string
  detail: string
}

const NUMERIC = new Set([
  'xs:decimal',
  'xs:int',
  'xs:integer',
  'xs:long',
  'xs:double',
  'xs:float',
  'xs:short',
  'xs:positiveInteger',
  'xs:nonNegativeInteger',
])

function primitiveOf(schema: XsdSchema, type: string): string {
  let t = type
  for (let i = 0; i < 10 && !t.startsWith('xs:'); i++) t = schema.simple.get(t) ?? 'xs:string'
  return t
}

function checkSimple(schema: XsdSchema, type: string | null, value: unknown): string | null {
  if (type === null) return null
  if (value === null) return null
  const allowed = schema.enums.get(type)
  if (allowed && !allowed.has(text(value))) return `Invalid value '${text(value)}' for enumeration ${type}`
  const primitive = primitiveOf(schema, type)
  // Jackson coerces between scalars (a number to a string field, "12" to a decimal); objects never fit.
  if (typeof value === 'object')
    return `Can not deserialize instance of ${primitive} out of START_OBJECT token`
  if (NUMERIC.has(primitive) && typeof value !== 'number' && !/^-?\d+(\.\d+)?$/.test(text(value)))
    return `Can not construct instance of ${primitive} from String value '${text(value)}'`
  if (primitive === 'xs:boolean' && typeof value !== 'boolean' && value !== 'true' && value !== 'false')
    return `Can not construct instance of xs:boolean from value '${text(value)}'`
  return null
}

/**
 * Every violation of `value` against complex type `type`, depth first. Attributes (`domain`, `sparse`,
 * `status`, a reference's `name`) are plain JSON properties; simple content is carried as `value`.
 */
export function shapeViolations(
  schema: XsdSchema,
  type: string,
  value: unknown,
  path = type,
): ShapeViolation[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [
      {
        kind: 'bad-value',
        path,
        property: path,
        type,
        detail: `Can not deserialize instance of ${type} out of ${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'} token`,
      },
    ]
  if (schema.isOpen(type)) return []
  const elements = schema.elementsOf(type)
  const attributes = schema.attributesOf(type)
  const out: ShapeViolation[] = []
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}.${key}`
    if (attributes.has(key) || (key === 'value' && schema.isSimpleContent(type))) continue
    const element = elements.get(key)
    if (!element) {
      out.push({ kind: 'unknown-property', path: at, property: key, type, detail: '' })
      continue
    }
    const items: unknown[] = element.many && Array.isArray(child) ? child : [child]
    if (!element.many && Array.isArray(child)) {
      out.push({
        kind: 'bad-value',
        path: at,
        property: key,
        type,
        detail: `Can not deserialize instance of ${element.type ?? 'value'} out of START_ARRAY token`,
      })
      continue
    }
    for (const [i, item] of items.entries()) {
      const itemPath = element.many ? `${at}[${i}]` : at
      if (element.type && schema.complex.has(element.type)) {
        if (item !== null) out.push(...shapeViolations(schema, element.type, item, itemPath))
        continue
      }
      const problem = checkSimple(schema, element.type, item)
      if (problem) out.push({ kind: 'bad-value', path: itemPath, property: key, type, detail: problem })
    }
  }
  return out
}
