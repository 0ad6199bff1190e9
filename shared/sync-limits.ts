/**
 * Limits of the sync routes that the widget reads too (plain constants: this module builds no
 * schema, so the widget can import it without pulling zod into its bundle).
 */

/** At most this many records per status request: a page of the host's invoice list. */
export const STATUS_BATCH_MAX = 500
