/** A new token's secret, shown this once, with a Copy button and ready-made snippets that use it. */
import { useEffect, useRef } from 'react';
import type { NewToken } from '../../../../shared/index.js';
import { hubAccess } from '../../api/http.js';
import { CopyButton } from './copy-button.js';

export function TokenSecret({ token, onDone }: { token: NewToken; onDone(): void }) {
  const secret = useRef<HTMLElement>(null);
  const sdk = useRef<HTMLPreElement>(null);
  const curl = useRef<HTMLPreElement>(null);
  const panel = useRef<HTMLElement>(null);
  const { wsUrl, httpBase } = hubAccess();
  const agent = token.agent ?? 'my-agent';
  const sdkSnippet = `import { connect } from 'switchboard/sdk';\n\nconst agent = await connect({ url: '${wsUrl}', token: '${token.token}', agent: '${agent}' });`;
  const curlSnippet = `curl -H 'Authorization: Bearer ${token.token}' ${httpBase}/api/agents`;

  useEffect(() => panel.current?.focus(), []);

  return (
    <section className="card token-secret" aria-labelledby="token-secret-title" ref={panel} tabIndex={-1}>
      <h3 id="token-secret-title">
        New token for <span className="mono">{token.agent ?? 'any agent (admin)'}</span>
        {token.label === null ? null : <span className="muted"> · {token.label}</span>}
      </h3>
      <p className="warn-text">Copy it now: it will not be shown again. The hub keeps only a hash of it.</p>
      <div className="row">
        <code className="secret" data-testid="token-secret" ref={secret}>
          {token.token}
        </code>
        <CopyButton text={token.token} label="Copy token" source={secret} />
      </div>
      <h4>Connect an agent with the SDK</h4>
      <div className="snippet">
        <pre ref={sdk}>{sdkSnippet}</pre>
        <CopyButton text={sdkSnippet} label="Copy SDK snippet" source={sdk} />
      </div>
      <h4>Or call the HTTP API</h4>
      <div className="snippet">
        <pre ref={curl}>{curlSnippet}</pre>
        <CopyButton text={curlSnippet} label="Copy curl command" source={curl} />
      </div>
      <button type="button" onClick={onDone}>
        Done, I copied it
      </button>
    </section>
  );
}
