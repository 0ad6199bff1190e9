import { createContext } from 'preact'
import type { Page } from '../runtime.ts'

/** The page, handed to every element's view (the core reads it as a class's context: no hooks). */
export const PageContext = createContext<Page | null>(null)
