import type { Business, User } from '../types.ts'

/** What the guard middleware puts on the request context for the resource routes. */
export interface ApiEnv {
  Variables: {
    business: Business
    user: User
    scope: string
  }
}
