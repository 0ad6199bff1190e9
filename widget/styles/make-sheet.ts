/**
 * A constructable stylesheet of `css`: the core's (sheet.ts) and the lazy parts' own. One copy, in
 * the core's base chunk, which every lazy part imports anyway.
 */
export function makeSheet(css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(css)
  return sheet
}
