/** Creates a token for an agent; the hub's complaints about a field show next to that field. */
import { useId, useState } from 'react';
import { httpRoutes, type NewToken } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { fieldMessages } from './field-messages.js';

export function TokenCreateForm({ agentIds, onCreated }: { agentIds: readonly string[]; onCreated(token: NewToken): void }) {
  const id = useId();
  const [agent, setAgent] = useState('');
  const [label, setLabel] = useState('');
  const action = useHubAction();
  const validation = action.error?.code === 'SB_ERR_VALIDATION' ? fieldMessages(action.error.message, ['agent', 'label']) : undefined;
  const agentError = validation?.['agent'];
  const labelError = validation?.['label'];

  const create = async (): Promise<void> => {
    const body = { agent: agent.trim(), ...(label.trim() === '' ? {} : { label: label.trim() }) };
    const answer = await action.run(() => api(httpRoutes.createToken, { body }));
    if (answer === undefined) return;
    setAgent('');
    setLabel('');
    // The form adopts no value, so the hub answers with the new secret.
    if ('token' in answer.token) onCreated(answer.token);
  };

  return (
    <form
      className="token-form"
      aria-label="Create a token"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <div className="token-field">
        <label htmlFor={`${id}-agent`}>Agent</label>
        <input
          id={`${id}-agent`}
          list={`${id}-agents`}
          value={agent}
          placeholder="e.g. coder"
          autoComplete="off"
          aria-invalid={agentError !== undefined}
          aria-describedby={agentError === undefined ? undefined : `${id}-agent-error`}
          onChange={(event) => setAgent(event.target.value)}
        />
        <datalist id={`${id}-agents`}>
          {agentIds.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {agentError === undefined ? null : (
          <span className="field-error" id={`${id}-agent-error`} role="alert">
            {agentError}
          </span>
        )}
      </div>
      <div className="token-field">
        <label htmlFor={`${id}-label`}>Label</label>
        <input
          id={`${id}-label`}
          value={label}
          placeholder="e.g. laptop (optional)"
          autoComplete="off"
          aria-invalid={labelError !== undefined}
          aria-describedby={labelError === undefined ? undefined : `${id}-label-error`}
          onChange={(event) => setLabel(event.target.value)}
        />
        {labelError === undefined ? null : (
          <span className="field-error" id={`${id}-label-error`} role="alert">
            {labelError}
          </span>
        )}
      </div>
      <button type="submit" className="primary" disabled={action.busy || agent.trim() === ''}>
        Create token
      </button>
      {validation === undefined ? (
        <HubErrorText error={action.error} />
      ) : validation['form'] === undefined ? null : (
        <p className="field-error" role="alert">
          {validation['form']}
        </p>
      )}
    </form>
  );
}
