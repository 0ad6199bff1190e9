/** What the loader imports: the core module's `install`. */
export interface CoreModule {
  install(win: Window, script: HTMLOrSVGScriptElement | null): unknown
}

/** The core module's address, beside the script: `…/widget.js` loads `…/widget/core.js`. */
export const coreUrl = (scriptSrc: string) => new URL('widget/core.js', scriptSrc).href

/**
 * What dist/widget.js does: a classic script (one tag, any page) that imports the core ES module
 * from its own origin and hands it this script element, which a module cannot find for itself
 * (`document.currentScript` is null inside one). Loading the script twice imports the same
 * module, and `install` keeps the first install.
 */
export function boot(
  win: Window,
  script: HTMLOrSVGScriptElement | null,
  load: (url: string) => Promise<CoreModule>,
): Promise<void> {
  const url = coreUrl(script instanceof HTMLScriptElement && script.src ? script.src : win.location.href)
  return load(url).then(
    (core) => void core.install(win, script),
    (error: unknown) => console.error('LedgerLink could not load its widget from', url, error),
  )
}
