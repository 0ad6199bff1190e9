import { describe, expect, test } from 'vitest'
import { badCharacter, textOf } from './common.ts'

describe('badCharacter', () => {
  test('names the first character a kind of text refuses, and where it is', () => {
    expect(badCharacter('Acme\u0000 Holdings', 'text')).toBe(
      'Contains the control character U+0000 at character 5; only tab and newline are allowed',
    )
    expect(badCharacter('a\u0085', 'multiline')).toMatch(/U\+0085 at character 2/)
    expect(badCharacter('\u007f', 'text')).toMatch(/U\+007F/)
    expect(badCharacter('x\ud800y', 'text')).toMatch(/lone surrogate \(U\+D800\) at character 2/)
    expect(badCharacter('x\udfff', 'text')).toMatch(/lone surrogate \(U\+DFFF\)/)
    expect(badCharacter('\ufdd0', 'multiline')).toMatch(/noncharacter U\+FDD0/)
    expect(badCharacter('😀\u{10fffe}', 'text')).toMatch(/noncharacter U\+10FFFE at character 3/)
  })

  test('carriage return only in multi-line text; keys take nothing invisible', () => {
    expect(badCharacter('a\tb\nc', 'text')).toBeNull()
    expect(badCharacter('a\r\nb', 'text')).toMatch(/U\+000D/)
    expect(badCharacter('a\r\nb\tc', 'multiline')).toBeNull()
    for (const key of ['a\tb', 'a\nb', 'a\u200bb', 'a\u00a0b', '\u202ea', 'a\u2028b', '\ufeffa', 'a\u00adb'])
      expect(badCharacter(key, 'key'), JSON.stringify(key)).not.toBeNull()
    expect(badCharacter('INV/2026-Ø 7 😀', 'key')).toBeNull()
  })

  test('any script, and emoji made of surrogate pairs and joiners, pass as text', () => {
    for (const text of ['Zoë Łódź', 'گفت‌وگو', '東京都', 'नमस्ते', '👩‍👩‍👧', '\u{1f600}', 'a\u00a0b'])
      expect(badCharacter(text, 'text'), text).toBeNull()
  })
})

describe('textOf', () => {
  test('trims, bounds and refuses with messages a host can act on', () => {
    const name = textOf(5, { min: 1, required: 'Needs a name' })
    expect(name.parse('  abc  ')).toBe('abc')
    expect(name.safeParse('   ').error?.issues.map((i) => i.message)).toEqual(['Needs a name'])
    expect(name.safeParse('abcdef').error?.issues.map((i) => i.message)).toEqual(['At most 5 characters'])
    expect(name.safeParse('a\u0000').error?.issues[0]?.message).toMatch(/U\+0000/)
    expect(textOf(5, { kind: 'key', trim: false }).parse(' a ')).toBe(' a ')
  })
})
