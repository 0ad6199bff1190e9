import { makeSheet } from './make-sheet.ts'

/**
 * What the lazy parts (panel, sync button, history, settings) share beyond the core sheet: loaded
 * with the first of them, so a page of badges does not carry it.
 */
export const PARTS_CSS = `
.small{font-size:.9em}
.danger{color:var(--bad);border-color:currentColor}
.link{border:0;background:none;color:var(--a);padding:.25em 0;min-height:0;font-weight:500;
text-decoration:underline;text-underline-offset:2px}
.link:hover:not(:disabled){background:none}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.75em}
`

let sheet: CSSStyleSheet | null = null
export const partsSheet = () => (sheet ??= makeSheet(PARTS_CSS))
