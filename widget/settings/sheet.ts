import { makeSheet } from '../styles/make-sheet.ts'

/** The settings' and mapping editor's own styles, from their chunk (on top of the panel's). */
export const SETTINGS_CSS = `
.switches,.maps{list-style:none;margin:0;padding:0;display:grid;gap:.6em}
.switch{display:flex;align-items:center;gap:.6em;font-weight:600;cursor:pointer}
.switch input{accent-color:var(--a);width:1.1em;height:1.1em;margin:0}
.switches p{margin:0 0 0 1.7em}
.days{margin-top:1em}
.days label{font-weight:600}
.row,.choice{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.25em 0}
input[type=number],input[type=search],select{font:inherit;color:var(--t);background:var(--bg);
border:1px solid var(--b);border-radius:calc(var(--r) - 4px);padding:.45em .6em;min-height:2.5em;max-width:100%}
input[type=number]{width:7em}
input[type=search]{flex:1 1 9em}
select{flex:2 1 14em;min-width:0}
[aria-invalid=true]{border-color:var(--bad)}
.group{margin-top:1.25em}
h4{margin:0 0 .25em;font-size:1em}
.map{border:1px solid var(--b);border-radius:calc(var(--r) - 4px);padding:.6em .8em}
.map-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5em}
.key{font-weight:600;overflow-wrap:anywhere}
.map p{margin:.25em 0 0;overflow-wrap:anywhere}
.problem{color:var(--bad)}
.summary{font-weight:600;border-inline-start:4px solid var(--ok);padding-inline-start:.6em}
.summary.bad{border-inline-start-color:var(--bad)}
.save{align-items:center}
.save p{margin:0}
`

let sheet: CSSStyleSheet | null = null
export const settingsSheet = () => (sheet ??= makeSheet(SETTINGS_CSS))
