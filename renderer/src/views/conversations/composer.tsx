/** Posting into the open conversation as the person: Enter sends, Shift+Enter starts a new line. */
import { memo, useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { liveClient } from '../../api/live.js';
import { useStore } from '../../store/store.js';

interface SendError {
  code: string;
  message: string;
}

export interface ComposerProps {
  conversationId: string;
  title: string;
  paused: boolean;
}

export const Composer = memo(function Composer({ conversationId, title, paused }: ComposerProps) {
  const link = useStore((s) => s.link);
  const agent = useStore((s) => s.session?.agent);
  const [text, setText] = useState('');
  const [error, setError] = useState<SendError | undefined>(undefined);
  const [sending, setSending] = useState(0);
  const inputId = useId();
  const noteId = useId();
  const connected = link === 'connected';
  // A refusal for the pause is moot once the conversation is resumed.
  useEffect(() => {
    if (!paused) setError((current) => (current?.code === 'SB_ERR_PAUSED' ? undefined : current));
  }, [paused]);

  const send = (): void => {
    const content = text;
    if (!connected || content.trim() === '') return;
    setText('');
    setError(undefined);
    setSending((n) => n + 1);
    liveClient()
      .send(conversationId, content)
      .catch((caught: unknown) => {
        const { code, message } = caught as Partial<SendError>;
        setError({ code: code ?? 'SB_ERR_INTERNAL', message: message ?? String(caught) });
        // Give the text back, unless the person already typed something new.
        setText((current) => (current === '' ? content : current));
      })
      .finally(() => setSending((n) => n - 1));
  };

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const note = !connected
    ? 'Not connected to the hub: posting comes back when the link does.'
    : paused
      ? 'The loop breaker paused this conversation: posts are refused until it is resumed.'
      : `Posting as ${agent ?? 'you'} · Enter sends, Shift+Enter starts a new line`;

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="sr-only">
        Message {title}
      </label>
      <textarea
        id={inputId}
        data-testid="composer"
        rows={2}
        value={text}
        placeholder={connected ? `Message ${title}` : 'Waiting for the hub…'}
        disabled={!connected}
        aria-describedby={noteId}
        aria-invalid={error === undefined ? undefined : true}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={!connected || text.trim() === ''}>
        {sending > 0 ? 'Sending…' : 'Send'}
      </button>
      <div className="composer-note" id={noteId}>
        {error === undefined ? (
          <span className={connected && !paused ? 'muted' : 'warn-text'} data-testid="composer-note">
            {note}
          </span>
        ) : (
          <span className="field-error" role="alert" data-testid="composer-error">
            <span className="mono">{error.code}</span>: {error.message}
          </span>
        )}
      </div>
    </form>
  );
});
