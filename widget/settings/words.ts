import type { MappingKind } from '../../shared/mappings.ts'
import type { ProviderId } from '../../shared/providers.ts'
import { providerName as name } from '../badges/words.ts'
import type { Switch } from '../../shared/settings.ts'
import type { Locale } from '../locale.ts'

/** What a kind of mapping is called, what it is for, and what its menu offers. */
interface KindWords {
  title: string
  hint: string
  /** The row's name for kinds with one mapping only (the default and payment accounts). */
  single?: string
  /** What the menu lists, one ("account") and with its article ("an account"), and many. */
  noun: string
  a: string
  many: string
}

/** The settings' and mapping editor's text, in the spelling of `locale` (the chunk's own: see i18n.ts for the panel's). */
export function settingsWords(locale: Locale) {
  const org = locale === 'en-US' ? 'organization' : 'organisation'
  const kinds: Record<MappingKind, KindWords> = {
    category_account: {
      title: 'Income accounts',
      hint: 'Where the lines of each category are recorded. A category without one uses the default account.',
      noun: 'account',
      a: 'an account',
      many: 'accounts',
    },
    default_account: {
      title: 'Default income account',
      hint: 'For lines of any category without an account of its own.',
      single: 'Any other category',
      noun: 'account',
      a: 'an account',
      many: 'accounts',
    },
    category_item: {
      title: 'QuickBooks products and services',
      hint: 'QuickBooks needs a product or service on each invoice line.',
      noun: 'product or service',
      a: 'a product or service',
      many: 'products and services',
    },
    tax_rate: {
      title: 'Tax rates',
      hint: 'Each tax code on your invoices, and the tax rate it is in your accounting software.',
      noun: 'tax rate',
      a: 'a tax rate',
      many: 'tax rates',
    },
    payment_account: {
      title: 'Payment account',
      hint: 'Where the payments your customers make are recorded.',
      single: 'Payments received',
      noun: 'account',
      a: 'an account',
      many: 'accounts',
    },
  }
  return {
    loading: 'Loading the settings…',
    switches: {
      syncEnabled: [
        'Sync',
        (p: ProviderId) =>
          `Off: nothing new goes to ${name(p)}. Anything waiting is kept and goes when sync is back on.`,
      ],
      invoices: ['Invoices', (p: ProviderId) => `Send your invoices to ${name(p)}.`],
      creditNotes: ['Credit notes', () => 'Send credit notes, each against the invoice it credits.'],
      payments: ['Payments', () => 'Record the payments customers make against their invoices.'],
      customers: [
        'Customers',
        () => 'Send customer changes on their own. An invoice always brings the customer it needs.',
      ],
      autoSyncOnSend: [
        'Send invoices when they are marked as sent',
        () => 'Off: each invoice is posted only when someone clicks its Post button.',
      ],
    } satisfies Record<Switch, [string, (p: ProviderId) => string]>,
    historyDays: 'Keep the sync history for (days)',
    historyHint: (max: string) => `From 1 to ${max} days. Older runs are deleted.`,
    historyError: (max: string) => `Enter a whole number of days from 1 to ${max}.`,
    save: 'Save',
    saved: 'Saved.',
    settingsSaved: 'Sync settings saved.',
    adminOnly: (tenant: string) => `Only an admin of ${tenant} can change these.`,

    mappingsLoading: 'Loading the account mappings…',
    mappingsLead: (p: ProviderId, orgName: string) =>
      `Where each part of your invoices goes in ${name(p)} (${orgName}).`,
    chartRead: (when: string) => `Chart of accounts read ${when}.`,
    refresh: 'Refresh the chart of accounts',
    refreshed: 'Chart of accounts refreshed.',
    complete: 'Everything your invoices need is mapped.',
    incomplete: 'Some invoices cannot be sent until the mappings marked “Blocks sending” are chosen.',
    kinds,
    taxKey: (code: string, rate: string | null) =>
      rate === null ? code : `${code} (${rate}% on your invoices)`,
    search: (many: string, key: string) => `Search ${many} for ${key}`,
    searchPlaceholder: 'Type to search',
    choose: (noun: string, key: string) => `The ${noun} for ${key}`,
    pick: (a: string) => `Choose ${a}…`,
    matches: (n: number) => (n === 1 ? '1 match.' : `${n} matches.`),
    notChosen: 'Not chosen',
    mark: {
      mapped: 'Mapped',
      changed: 'Changed, not saved',
      stale: 'Needs a new choice',
      blocks: 'Blocks sending',
      fallback: 'Uses the default account',
      missing: 'Not chosen',
    },
    stale: (label: string, problem: string) => `“${label}” ${problem}.`,
    blocksWhy: 'Invoices that need it are not sent until it is chosen.',
    suggested: (label: string, reason: string) => `Suggested: ${label} (${reason}).`,
    use: (label: string) => `Use ${label}`,
    useAll: (n: number) => `Use all suggestions (${n})`,
    createItem: (category: string) => `Create “${category}” in QuickBooks`,
    itemCreated: (item: string, category: string) =>
      `Created the product or service ${item} in QuickBooks and chose it for ${category}.`,
    unsaved: (n: number) => (n === 1 ? '1 change not saved yet.' : `${n} changes not saved yet.`),
    saveMappings: 'Save mappings',
    mappingsSaved: 'Mappings saved.',
    readOnly: (tenant: string) => `Only an admin of ${tenant} can change the mappings of this ${org}.`,
  }
}
export type SettingsWords = ReturnType<typeof settingsWords>
