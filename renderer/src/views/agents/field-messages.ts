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
