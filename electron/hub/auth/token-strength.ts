/**
 * The rule for adopting an existing secret as a token (`switchboard token create NAME --value …`), such as
 * the relay key an old master and child already share: long, varied, and not a placeholder.
 */
import { SwitchboardError } from '../../../shared/index.js';

export const MIN_ADOPTED_LENGTH = 20;
const MAX_ADOPTED_LENGTH = 500;
const MIN_DISTINCT_CHARACTERS = 8;

/** Words and runs that mark a value someone typed or copied from an example, not one a generator made. */
const WEAK_PARTS = ['password', 'passwd', 'changeme', 'secret', 'example', 'apikey', 'api-key', 'api_key', 'qwerty', 'letmein', '123456', 'abcdef'];

/** The shortest unit the value repeats, e.g. 4 for "abcdabcdabcd"; the length itself when it does not repeat. */
function period(value: string): number {
  for (let unit = 1; unit <= value.length / 2; unit++) {
    if (value.length % unit === 0 && value.slice(0, unit).repeat(value.length / unit) === value) return unit;
  }
  return value.length;
}

/** Throws SB_ERR_VALIDATION naming the first rule `value` breaks; returns it when it may be adopted. */
export function checkAdoptedSecret(value: string): string {
  const refuse = (reason: string): never => {
    throw new SwitchboardError('SB_ERR_VALIDATION', `this value cannot be a token: ${reason}`);
  };
  if (value.length < MIN_ADOPTED_LENGTH) refuse(`it has ${value.length} characters; use at least ${MIN_ADOPTED_LENGTH} (or let Switchboard make one)`);
  if (value.length > MAX_ADOPTED_LENGTH) refuse(`it has ${value.length} characters; at most ${MAX_ADOPTED_LENGTH}`);
  if (!/^[\x21-\x7e]+$/.test(value)) refuse('it must be printable ASCII with no spaces, so it fits in an Authorization header');
  const distinct = new Set(value).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) refuse(`it uses only ${distinct} different characters; a random value uses many more`);
  if (period(value) < value.length) refuse('it is one short piece repeated');
  const lower = value.toLowerCase();
  const weak = WEAK_PARTS.find((part) => lower.includes(part));
  if (weak !== undefined) refuse(`it contains "${weak}", which marks a placeholder or a guessable value`);
  return value;
}
