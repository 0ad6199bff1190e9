import { makeSheet } from './make-sheet.ts'

/**
 * What the lazy parts (panel, sync button, history, settings) share beyond the core sheet: loaded
 * with the first of them, so a page of badges does not carry it. The alert is the error box of
 * components/problem.tsx and the parts' notes.
 */
export const PARTS_CSS = `
.small{font-size:.9em}
.danger{color:var(--bad);border-color:currentColor}
.link{border:0;background:none;color:var(--a);padding:.25em 0;min-height:0;font-weight:500;
text-decoration:underline;text-underline-offset:2px}
.link:hover:not(:disabled){background:none}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.75em}
.alert{border-radius:calc(var(--r) - 4px);padding:.75em 1em;margin:0 0 .75em;border:1px solid var(--b);
border-inline-start:4px solid var(--c);background:var(--sub);overflow-wrap:anywhere}
.alert p:last-child{margin-bottom:0}
.alert .actions{margin-top:.5em}
.alert-title{font-weight:600}
.fields{margin:.25em 0 .5em;padding-inline-start:1.25em}
input:not([type=radio],[type=checkbox]),select{font:inherit;color:var(--t);background:var(--bg);
border:1px solid var(--b);border-radius:calc(var(--r) - 4px);padding:.45em .6em;min-height:2.5em;max-width:100%}
[aria-disabled=true]{opacity:.55}
`

let sheet: CSSStyleSheet | null = null
export const partsSheet = () => (sheet ??= makeSheet(PARTS_CSS))
