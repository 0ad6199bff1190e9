import { useLayoutEffect, useReducer, useState } from 'preact/hooks'
import type { Observable } from '../elements/observable.ts'

/**
 * Renders the component again when one of `values` changes: the lazy parts keep their state in
 * the core's observables (elements/observable.ts), so no signals library is loaded. A part's root
 * view watches its state; the views inside it render with it. (A layout effect: it subscribes in
 * the same task as the render, so no change is missed in between.)
 */
export function useWatch(...values: Observable<unknown>[]): void {
  const [, update] = useReducer((n: number) => n + 1, 0)
  useLayoutEffect(() => {
    const stops = values.map((v) => v.subscribe(update as () => void))
    return () => stops.forEach((stop) => stop())
  }, values)
}

let ids = 0
/**
 * An id of its own for the component's life, for `aria-labelledby` and the like (Preact's useId
 * walks the tree to agree with a server's rendering: the widget renders only in the browser).
 */
export const useUid = () => useState(() => `ll${++ids}`)[0]
