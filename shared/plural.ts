/** A count with its noun, plural unless it is one: `1 attempt`, `3 attempts`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
