/** A token as `GET /api/tokens` lists it (never its secret), and the one answer that carries the secret. */

export interface TokenRecord {
  id: string;
  /** The agent it speaks for; null for an admin token, which may name any agent. */
  agent: string | null;
  admin: boolean;
  label: string | null;
  /** `session` is a browser's sign-in from a login link. */
  kind: 'token' | 'session';
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

/** `POST /api/tokens` → the new record with its secret, shown this once. */
export interface CreatedToken extends TokenRecord {
  token: string;
}

/**
 * The hub's validation message (`invalid token request: agent: …; label: …`) split per field, so each
 * part shows next to the input it is about. What names no known field is kept under `form`.
 */
export function fieldMessages(message: string, fields: readonly string[]): Record<string, string> {
  const body = message.replace(/^invalid [^:]*:\s*/, '');
  const messages: Record<string, string> = {};
  for (const part of body.split('; ')) {
    const match = /^([\w.]+): (.*)$/.exec(part);
    const field = match?.[1];
    const key = field !== undefined && fields.includes(field) ? field : 'form';
    const text = key === 'form' ? part : (match?.[2] ?? part);
    messages[key] = messages[key] === undefined ? text : `${messages[key]}; ${text}`;
  }
  return messages;
}
