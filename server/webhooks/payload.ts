import type { z } from 'zod'
import type { IncomingEvent } from '../sync/provider-events.ts'

/** What a receiver read from a verified body: its events, or why it could not (kept, answered 400). */
export type WebhookRead = { events: IncomingEvent[] } | { problem: string }

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

/** The first thing wrong with a body, for the note kept with it: `events.0.tenantId: Invalid input…`. */
export function firstProblem(what: string, error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return `not ${what}: ${where}${issue?.message ?? 'unreadable'}`
}
