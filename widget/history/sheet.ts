import { makeSheet } from '../styles/make-sheet.ts'

/** The sync history's own styles, on top of the core and parts sheets, from its chunk. */
export const HISTORY_CSS = `
.panel{overflow-wrap:anywhere}
h2,h3{font-size:1.1em;margin:0;outline:none}
h4{margin:1em 0 0}
form{display:flex;flex-wrap:wrap;align-items:end;gap:.5em .75em;margin:.75em 0}
label{display:grid;font-size:.9em;color:var(--m)}
.q{flex:1 1 12em}
ol,ul{list-style:none;padding:0}
li{border-top:1px solid var(--b);padding:.75em 0}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.25em .6em}
time{margin-inline-start:auto}
code{user-select:all}
`

export const historySheet = () => makeSheet(HISTORY_CSS)
