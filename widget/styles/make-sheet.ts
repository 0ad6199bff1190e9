/**
 * A constructable stylesheet of `css`, for the lazy parts' own sheets. (The core's sheet makes its
 * own: a module both the core and the chunks import becomes one more file for a page of badges.)
 */
export function makeSheet(css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(css)
  return sheet
}
