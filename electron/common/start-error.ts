/** Why the hub could not start, in one sentence for a person: hosts print the message (never a stack) and exit. */
export class HubStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubStartError';
  }
}
