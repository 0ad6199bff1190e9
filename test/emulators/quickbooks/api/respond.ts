import { QboFault, faults } from '../errors.ts'
import { intuitResponseTime } from '../time.ts'

const JSON_TYPE = 'application/json;charset=UTF-8'

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } })
}

/** `{"Fault":{"Error":[…],"type":…},"time":…}` (2.6); 401 also carries Intuit's WWW-Authenticate. */
export function faultBody(fault: QboFault, now: number, lowercase = false): unknown {
  if (lowercase)
    // Some real 401s come with lower-case keys (2.6); the control API can ask for them.
    return {
      fault: {
        error: fault.errors.map((e) => ({ message: e.Message, detail: e.Detail, code: e.code })),
        type: fault.type,
      },
      time: intuitResponseTime(now),
    }
  return { Fault: { Error: fault.errors, type: fault.type }, time: intuitResponseTime(now) }
}

export function faultResponse(fault: QboFault, now: number, lowercase = false): Response {
  const headers: Record<string, string> =
    fault.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="Intuit", error="invalid_token"' } : {}
  return jsonResponse(faultBody(fault, now, lowercase), fault.status, headers)
}

/** Runs a handler, answering a thrown QboFault in Intuit's shape and anything else as a system fault. */
export async function answer(now: () => number, fn: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof QboFault) return faultResponse(err, now())
    console.error('[qbo-emulator]', err)
    return faultResponse(faults.server(500), now())
  }
}
