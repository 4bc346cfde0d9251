/** Refuses JSON nested deeper than MAX_JSON_DEPTH by scanning its text, before JSON.parse, a schema or a logger recurses into it. */
import { MAX_JSON_DEPTH, SwitchboardError } from '../../../shared/protocol/index.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when arrays and objects in `text` nest deeper than `limit`. Brackets inside strings do not count;
 * the scan stops at the first level past the limit, so `[[[[…` costs as much as its first `limit` characters.
 * Malformed JSON is left for JSON.parse to refuse.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = closingQuote(text, i);
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The index of the quote that ends the string opened at `open` (text.length when none does). */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** SB_ERR_VALIDATION naming the limit for JSON text nested deeper than MAX_JSON_DEPTH; undefined for any other. */
export function jsonTooDeep(text: string): SwitchboardError | undefined {
  return nestedDeeperThan(text, MAX_JSON_DEPTH)
    ? new SwitchboardError('SB_ERR_VALIDATION', `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`)
    : undefined;
}
