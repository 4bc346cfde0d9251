/** An agent's name in a colour of its own, the same on every row, so a busy timeline reads at a glance. */
import { memo } from 'react';

const COLOURS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--info)', 'var(--warn)'];

function colourOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length] ?? 'var(--text)';
}

export const SenderName = memo(function SenderName({ name }: { name: string }) {
  return (
    <span className="sender" style={{ color: colourOf(name) }} data-testid="message-sender">
      {name}
    </span>
  );
});
