import type { Context, TypedResponse } from 'hono'
import type { JSONParsed } from 'hono/utils/types'
import type { AppEnv } from './context.ts'

/**
 * The headers every answer to a request carries, whatever route or error it comes from: the
 * request id, the security headers and CORS (middleware/request-context.ts, middleware/headers.ts).
 * They are gathered in a plain record rather than set one by one on Hono's Headers: a plain record
 * goes through @hono/node-server to Node's writeHead as it is (Node validates each name and value
 * there), whereas a Headers object validates every entry as it is set, and is then iterated in
 * sorted order and copied once more. That was about an eighth of the status route's server time
 * (`npm run bench -- --only status_route_rps`).
 *
 * The record is added to whatever the handler answered, once it has (addAnswerHeaders), under
 * any header of the same name the handler set itself: a handler may override any of them with
 * c.header(), as the OAuth pages do for Cross-Origin-Opener-Policy, or in its answer's own headers,
 * as public static files do for Cache-Control. jsonAnswer() builds the record into the answer.
 */
export interface AnswerHeaders {
  /** Lower-case names, as a Headers object would give them. */
  readonly record: Record<string, string>
  /** The answer jsonAnswer() built, with the record in it already. */
  complete: Response | undefined
}

/** Starts the record of one request (middleware/request-context.ts, before anything else runs). */
export function startAnswer(c: Context<AppEnv>): AnswerHeaders {
  const answer: AnswerHeaders = { record: {}, complete: undefined }
  c.set('answer', answer)
  return answer
}

/** A header for the answer to this request, whatever it turns out to be. */
export function setAnswerHeader(c: Context<AppEnv>, name: string, value: string) {
  const answer = c.get('answer')
  if (answer) answer.record[name.toLowerCase()] = value
  else c.header(name, value) // outside requestContext (a bare app in a test): Hono's own way
}

/**
 * Adds the record to the answer the handler gave (c.res), under the headers it set itself. Through
 * the answer's own headers: c.header() on a finished answer would have @hono/node-server rebuild
 * it as a stream.
 */
export function addAnswerHeaders(c: Context<AppEnv>, answer: AnswerHeaders) {
  const res = c.res
  if (res === answer.complete) return
  const headers = res.headers
  try {
    for (const name in answer.record) if (!headers.has(name)) headers.set(name, answer.record[name]!)
  } catch {
    // Headers that cannot change (a fetch() answer passed on as it is): Hono adds none to those either.
  }
}

/**
 * When the handler could not answer (its error handler failed too), Hono's last-resort answer
 * takes its headers from the context: the record goes there, as it used to before the handler.
 */
export function moveAnswerHeaders(c: Context<AppEnv>, answer: AnswerHeaders) {
  for (const name in answer.record) c.header(name, answer.record[name])
}

/**
 * c.json(value, status), with the record built in as a plain object, for the busiest routes. On
 * such a route, the handler and its middleware set headers with setAnswerHeader(): what c.header()
 * set would not be in this answer. (The status route's test compares its answer's headers with
 * those of its error answer, which has them all.) Wrapping c.header() to notice was tried: a
 * function put on each request's context kept young objects alive through the garbage collector's
 * scavenges and cost more than all of this saves.
 */
export function jsonAnswer<T, S extends 200 | 201>(
  c: Context<AppEnv>,
  value: T,
  status: S,
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  const answer = c.get('answer')
  if (!answer) return c.json(value, status)
  const headers = { ...answer.record, 'content-type': 'application/json' }
  const res = new Response(JSON.stringify(value), { status, headers })
  answer.complete = res
  return res as Response & TypedResponse<JSONParsed<T>, S, 'json'>
}
