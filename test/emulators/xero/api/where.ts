/**
 * The subset of Xero's `where` filter the emulator understands: comparisons (`==`, `!=`, `<`, `<=`,
 * `>`, `>=`) and `.Contains()`, `.StartsWith()`, `.EndsWith()` on dotted fields, values as strings,
 * `Guid("…")` in any case (Xero's docs write `guid("…")`, e.g. Payments' `Invoice.InvoiceID`),
 * `DateTime(y,m,d)`, numbers, true/false/null, joined by AND / OR (AND binds tighter, no
 * parentheses). Anything else is refused rather than silently matching everything.
 */
type Predicate = (view: Record<string, unknown>) => boolean

const VALUE = String.raw`"(?:[^"\\]|\\.)*"|[Gg][Uu][Ii][Dd]\("[^"]*"\)|DateTime\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)|-?\d+(?:\.\d+)?|true|false|null`
const COMPARISON = new RegExp(String.raw`^([A-Za-z][\w.]*)\s*(==|!=|<=|>=|<|>)\s*(${VALUE})$`)
const METHOD = new RegExp(
  String.raw`^([A-Za-z][\w.]*)\.(Contains|StartsWith|EndsWith)\(\s*("(?:[^"\\]|\\.)*")\s*\)$`,
)

function literal(token: string): unknown {
  if (token.startsWith('"')) return JSON.parse(token) as string
  const guid = /^guid\("([^"]*)"\)$/i.exec(token)
  if (guid) return guid[1]!.toLowerCase()
  const dt = /^DateTime\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(token)
  if (dt) return `${dt[1]}-${dt[2]!.padStart(2, '0')}-${dt[3]!.padStart(2, '0')}`
  if (token === 'true' || token === 'false') return token === 'true'
  if (token === 'null') return null
  return Number(token)
}

function field(view: Record<string, unknown>, path: string): unknown {
  let value: unknown = view
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
  return typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value) ? value.toLowerCase() : (value ?? null)
}

function clause(text: string): Predicate | null {
  const m = METHOD.exec(text)
  if (m) {
    const [, path, method, arg] = m
    const needle = (JSON.parse(arg!) as string).toLowerCase()
    return (view) => {
      const raw = field(view, path!)
      const v = (typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '').toLowerCase()
      return method === 'Contains'
        ? v.includes(needle)
        : method === 'StartsWith'
          ? v.startsWith(needle)
          : v.endsWith(needle)
    }
  }
  const c = COMPARISON.exec(text)
  if (!c) return null
  const [, path, op, token] = c
  const expected = literal(token!)
  return (view) => {
    const actual = field(view, path!)
    if (op === '==') return actual === expected
    if (op === '!=') return actual !== expected
    if (actual === null || expected === null) return false
    const a = actual as number | string
    const b = expected as number | string
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b
  }
}

export function parseWhere(where: string): Predicate | null {
  const groups: Predicate[][] = []
  for (const orPart of where.split(/\s+(?:OR|\|\|)\s+/)) {
    const group: Predicate[] = []
    for (const andPart of orPart.split(/\s+(?:AND|&&)\s+/)) {
      const p = clause(andPart.trim())
      if (!p) return null
      group.push(p)
    }
    groups.push(group)
  }
  return (view) => groups.some((g) => g.every((p) => p(view)))
}
