import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Runtime } from './panel-runtime.ts'

export const RuntimeContext = createContext<Runtime | null>(null)

/** The page's runtime: state, actions and words. Components get it from context, never import it. */
export const useRuntime = () => useContext(RuntimeContext)!
