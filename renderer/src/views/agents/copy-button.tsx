/** Copies a text to the clipboard and says so; where the clipboard is not available, selects the text to copy by hand. */
import { useState, type RefObject } from 'react';

type CopyState = 'idle' | 'copied' | 'manual';

export function CopyButton({ text, label, source }: { text: string; label: string; source: RefObject<HTMLElement | null> }) {
  const [state, setState] = useState<CopyState>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard (an insecure context or a denied permission): select the text so Ctrl+C copies it.
      const node = source.current;
      const selection = window.getSelection();
      if (node !== null && selection !== null) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setState('manual');
    }
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} aria-label={label}>
        Copy
      </button>
      <span className="copy-state" role="status">
        {state === 'copied' ? 'Copied' : state === 'manual' ? 'Selected — press Ctrl+C to copy' : ''}
      </span>
    </>
  );
}
