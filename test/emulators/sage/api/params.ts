import type { Context } from 'hono'
import { item, paramErrors, SageError } from '../errors.ts'

type Kind = 'string' | 'number' | 'date' | 'boolean' | 'array' | 'object'
export type ParamSpec = Record<string, { kind: Kind; required?: boolean }>
type Problem = { param: string; problem: 'is missing' | 'is invalid' }

/** Reads `{"<root>": {…}}`; a body without its root object is Grape's "<root> is missing". */
export async function readRoot(c: Context, root: string): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new SageError(422, [item('Validation', 'The request body is not valid JSON.', 'base')])
  }
  const value = (body as Record<string, unknown> | null)?.[root]
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw paramErrors([{ param: root, problem: 'is missing' }])
  return value as Record<string, unknown>
}

function fits(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string' || typeof v === 'number'
    case 'number': // Grape coerces numeric strings
      return (
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
      )
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))
    case 'boolean':
      return typeof v === 'boolean' || v === 'true' || v === 'false'
    case 'array':
      return Array.isArray(v)
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v)
  }
}

/** Declared-parameter checks, worded like Sage's Grape layer: `sales_invoice[contact_id] is missing`. */
export function checkParams(
  value: Record<string, unknown>,
  path: string,
  spec: ParamSpec,
  requireAll = true,
): Problem[] {
  const problems: Problem[] = []
  for (const [name, rule] of Object.entries(spec)) {
    const v = value[name]
    const param = `${path}[${name}]`
    if (v === undefined || v === null) {
      if (rule.required && requireAll) problems.push({ param, problem: 'is missing' })
    } else if (!fits(rule.kind, v)) problems.push({ param, problem: 'is invalid' })
  }
  return problems
}

export function throwIfProblems(problems: Problem[]): void {
  if (problems.length) throw paramErrors(problems)
}

export const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v))
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
export const bool = (v: unknown): boolean => v === true || v === 'true'
