import { describe, expect, test } from 'vitest'
import { newId, newRandomId } from './ids.ts'

describe('ids', () => {
  test('have a prefix and 26 base32 characters', () => {
    expect(newId('inv')).toMatch(/^inv_[a-z2-7]{26}$/)
  })

  test('sort as strings in creation order, across milliseconds and within one', () => {
    const start = Date.UTC(2026, 10, 22)
    const ids: string[] = []
    for (let i = 0; i < 5000; i++) ids.push(newId('cus', start + Math.floor(i / 3)))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  test('a clock that steps back still gives increasing ids', () => {
    const a = newId('pay', Date.UTC(2030, 0, 1))
    const b = newId('pay', Date.UTC(2029, 0, 1))
    expect(b > a).toBe(true)
  })
})

test('request ids have the shape of every id, and do not repeat', () => {
  const ids = Array.from({ length: 2000 }, () => newRandomId('req'))
  for (const id of ids) expect(id).toMatch(/^req_[a-z2-7]{26}$/)
  expect(new Set(ids).size).toBe(ids.length)
})
