import { useContext } from 'preact/hooks'
import { PageContext } from '../elements/page-context.ts'

export { PageContext }

/** The page's shared parts (API, badges, words, live region), for the lazy parts' views (hooks). */
export const usePage = () => useContext(PageContext)!
