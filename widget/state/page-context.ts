import { useContext } from 'preact/hooks'
import type { Page } from '../runtime.ts'
import { PageContext } from '../elements/page-context.ts'

export { PageContext }

/** The page's shared parts (API, badges, words, live region), for the lazy parts' views (hooks). */
export function usePage(): Page {
  const page = useContext(PageContext)
  if (!page) throw new Error('usePage outside PageContext.Provider')
  return page
}
