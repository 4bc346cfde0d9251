/** A message or task payload, readable: strings as text, anything else as indented JSON. */

export function PayloadView({ value, label }: { value: unknown; label?: string }) {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre className="payload" aria-label={label ?? 'payload'}>
      {text}
    </pre>
  );
}
