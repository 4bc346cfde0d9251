/** The rule for adopting an existing secret as a token: each refusal says which rule the value breaks. */
import { describe, expect, it } from 'vitest';
import { checkAdoptedSecret } from '../../electron/hub/auth/token-strength.js';

describe('checkAdoptedSecret', () => {
  it('accepts a generated-looking key of 20 characters or more', () => {
    expect(checkAdoptedSecret('rk_9fJ2kQ7vXz3LpW8mN4tB')).toBe('rk_9fJ2kQ7vXz3LpW8mN4tB');
  });

  it.each([
    ['short', 'rk_9fJ2kQ7vXz3', 'it has 14 characters; use at least 20 (or let Switchboard make one)'],
    ['one character', 'a'.repeat(32), 'it uses only 1 different characters; a random value uses many more'],
    ['few characters', 'ababababcdcdcdcdabab', 'it uses only 4 different characters; a random value uses many more'],
    ['a repeated piece', 'x7Kp2Qw9Zx7Kp2Qw9Zx7Kp2Qw9Z', 'it is one short piece repeated'],
    ['a placeholder', 'my-Relay-Secret-Key-2024', 'it contains "secret", which marks a placeholder or a guessable value'],
    ['a keyboard run', 'Zq123456789-relay-key', 'it contains "123456", which marks a placeholder or a guessable value'],
    ['a space', 'rk 9fJ2kQ7vXz3LpW8mN4tB', 'it must be printable ASCII with no spaces, so it fits in an Authorization header'],
  ])('refuses %s, saying why', (_what, value, reason) => {
    expect(() => checkAdoptedSecret(value)).toThrow(`this value cannot be a token: ${reason}`);
  });
});
