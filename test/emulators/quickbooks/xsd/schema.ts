import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { XMLParser } from 'fast-xml-parser'

/**
 * Intuit's canonical QBO v3 schema (test/emulators/specs/quickbooks: the three files below, as Intuit
 * publishes them; see test/emulators/specs/README.md), reduced to what the JSON wire format needs:
 * per complex type, its elements (with their type and whether they repeat) and attributes, following
 * `xs:extension` bases and `xs:group` references. In JSON, attributes are plain properties and a
 * simple-content type (ReferenceType) carries its text as `value`.
 */
export interface XsdElement {
  type: string | null // null: untyped (xs:anyType)
  many: boolean
}
export interface XsdComplexType {
  name: string
  base: string | null
  elements: Map<string, XsdElement>
  attributes: Set<string>
  simpleContent: boolean
  open: boolean // xs:any
}
export interface XsdSchema {
  complex: Map<string, XsdComplexType>
  enums: Map<string, Set<string>>
  /** Simple types by name, resolved to their XML Schema primitive (`xs:decimal`, `xs:string`…). */
  simple: Map<string, string>
  /** Every element of a type including inherited ones. */
  elementsOf(type: string): Map<string, XsdElement>
  attributesOf(type: string): Set<string>
  isSimpleContent(type: string): boolean
  isOpen(type: string): boolean
}

const SPEC_DIR = fileURLToPath(new URL('../../specs/quickbooks/', import.meta.url))
const FILES = ['IntuitBaseTypes.xsd', 'IntuitNamesTypes.xsd', 'Finance.xsd']

type Node = Record<string, unknown>
const kids = (node: Node, tag: string): Node[] => (node[tag] as Node[] | undefined) ?? []
const attr = (node: Node, name: string): string | undefined => node[name] as string | undefined

let cached: XsdSchema | null = null

export function loadQboSchema(dir = SPEC_DIR): XsdSchema {
  if (cached && dir === SPEC_DIR) return cached
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  })
  const complex = new Map<string, XsdComplexType>()
  const enums = new Map<string, Set<string>>()
  const simple = new Map<string, string>()
  const groups = new Map<string, Node>()
  const roots = FILES.map((f) => kids(parser.parse(readFileSync(dir + f, 'utf8')) as Node, 'xs:schema')[0]!)
  for (const root of roots) for (const g of kids(root, 'xs:group')) groups.set(attr(g, 'name')!, g)

  function collect(node: Node, into: XsdComplexType) {
    for (const el of kids(node, 'xs:element')) {
      const name = attr(el, 'name')!
      const inline = kids(el, 'xs:complexType')[0]
      let type = attr(el, 'type') ?? null
      if (inline) {
        type = `${into.name}.${name}`
        complex.set(type, readComplex(type, inline))
      }
      into.elements.set(name, { type, many: attr(el, 'maxOccurs') === 'unbounded' })
    }
    for (const tag of ['xs:sequence', 'xs:choice']) for (const n of kids(node, tag)) collect(n, into)
    for (const g of kids(node, 'xs:group')) {
      const ref = groups.get(attr(g, 'ref') ?? '')
      if (ref) collect(ref, into)
    }
    if (kids(node, 'xs:any').length > 0) into.open = true
    for (const a of kids(node, 'xs:attribute')) into.attributes.add(attr(a, 'name')!)
  }

  function readComplex(name: string, node: Node): XsdComplexType {
    const t: XsdComplexType = {
      name,
      base: null,
      elements: new Map(),
      attributes: new Set(),
      simpleContent: false,
      open: false,
    }
    collect(node, t)
    for (const content of [...kids(node, 'xs:complexContent'), ...kids(node, 'xs:simpleContent')]) {
      t.simpleContent ||= kids(node, 'xs:simpleContent').includes(content)
      for (const ext of [...kids(content, 'xs:extension'), ...kids(content, 'xs:restriction')]) {
        t.base = attr(ext, 'base') ?? null
        collect(ext, t)
      }
    }
    return t
  }

  for (const root of roots) {
    for (const ct of kids(root, 'xs:complexType'))
      complex.set(attr(ct, 'name')!, readComplex(attr(ct, 'name')!, ct))
    for (const st of kids(root, 'xs:simpleType')) {
      const restriction = kids(st, 'xs:restriction')[0]
      simple.set(attr(st, 'name')!, attr(restriction ?? {}, 'base') ?? 'xs:string')
      const values = kids(restriction ?? {}, 'xs:enumeration').map((e) => attr(e, 'value')!)
      if (values.length > 0) enums.set(attr(st, 'name')!, new Set(values))
    }
  }

  function chain(type: string): XsdComplexType[] {
    const out: XsdComplexType[] = []
    for (let t = complex.get(type); t; t = t.base ? complex.get(t.base) : undefined) out.push(t)
    return out
  }
  const schema: XsdSchema = {
    complex,
    enums,
    simple,
    elementsOf: (type) => new Map(chain(type).flatMap((t) => [...t.elements])),
    attributesOf: (type) => new Set(chain(type).flatMap((t) => [...t.attributes])),
    isSimpleContent: (type) => chain(type).some((t) => t.simpleContent),
    isOpen: (type) => chain(type).some((t) => t.open),
  }
  if (dir === SPEC_DIR) cached = schema
  return schema
}
