import { faults } from '../errors.ts'

/**
 * The subset of Intuit's query language the emulator parses ([doc] .../learn/explore-the-quickbooks-
 * online-api/data-queries): SELECT * | COUNT(*) | fields FROM Entity [WHERE c AND c …] [ORDERBY f
 * [ASC|DESC], …] [STARTPOSITION n] [MAXRESULTS n]; operators = < > <= >= LIKE IN. OR is not part of
 * the language (Intuit does not support it) and fails to parse, as it does there.
 */
export type QueryValue = string | number | boolean
export interface Condition {
  field: string
  op: '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN'
  values: QueryValue[]
}
export interface Query {
  entity: string
  count: boolean
  fields: string[] | null // null: *
  where: Condition[]
  orderBy: { field: string; desc: boolean }[]
  startPosition: number
  maxResults: number
}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|(<=|>=|[=<>(),*])|([A-Za-z_][\w.]*)|(-?\d+(?:\.\d+)?))/y

function tokenize(text: string): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  let pos = 0
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break
    TOKEN.lastIndex = pos
    const m = TOKEN.exec(text)
    if (!m)
      throw faults.queryParse(
        `Encountered " ${text.slice(pos).trim().split(/\s/)[0]} " at column ${pos + 1}.`,
      )
    out.push(m[0].trim())
    pos = TOKEN.lastIndex
  }
  return out
}

export function parseQuery(text: string, defaults: { maxResults: number; limit: number }): Query {
  const tokens = tokenize(text)
  let i = 0
  const peek = () => tokens[i]
  const upper = () => tokens[i]?.toUpperCase()
  const fail = (): never => {
    throw faults.queryParse(`Encountered " ${peek() ?? '<EOF>'} " at token ${i + 1}.`)
  }
  const expect = (word: string) => (upper() === word ? tokens[i++] : fail())
  const literal = (): QueryValue => {
    const t = tokens[i++] ?? fail()
    if (t.startsWith("'")) return t.slice(1, -1).replace(/\\(.)/g, '$1')
    if (/^-?\d/.test(t)) return Number(t)
    if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true'
    return fail()
  }

  expect('SELECT')
  let count = false
  let fields: string[] | null = null
  if (peek() === '*') i++
  else if (upper() === 'COUNT') {
    i++
    expect('(')
    expect('*')
    expect(')')
    count = true
  } else {
    fields = []
    do fields.push(tokens[i++] ?? fail())
    while (peek() === ',' && i++)
  }
  expect('FROM')
  const entity = tokens[i++] ?? fail()
  const where: Condition[] = []
  if (upper() === 'WHERE') {
    i++
    do {
      const field = tokens[i++] ?? fail()
      const op = (upper() ?? fail()) as Condition['op']
      i++
      if (op === 'IN') {
        expect('(')
        const values = [literal()]
        while (peek() === ',' && i++) values.push(literal())
        expect(')')
        where.push({ field, op, values })
      } else if (['=', '<', '>', '<=', '>=', 'LIKE'].includes(op))
        where.push({ field, op, values: [literal()] })
      else fail()
    } while (upper() === 'AND' && i++)
  }
  const orderBy: Query['orderBy'] = []
  if (upper() === 'ORDERBY' || upper() === 'ORDER') {
    if (upper() === 'ORDER') {
      i++
      expect('BY')
    } else i++
    do {
      const field = tokens[i++] ?? fail()
      const dir = upper()
      if (dir === 'ASC' || dir === 'DESC') i++
      orderBy.push({ field, desc: dir === 'DESC' })
    } while (peek() === ',' && i++)
  }
  let startPosition = 1
  let maxResults = defaults.maxResults
  while (i < tokens.length) {
    const word = upper()
    i++
    if (word === 'STARTPOSITION') startPosition = Number(literal())
    else if (word === 'MAXRESULTS') maxResults = Math.min(Number(literal()), defaults.limit)
    else fail()
  }
  return { entity, count, fields, where, orderBy, startPosition, maxResults }
}
