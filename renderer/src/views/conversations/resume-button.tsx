/** Lifts the loop breaker's pause on a conversation (admin); the hub's `conversation_resumed` push updates the marks. */
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { resumeConversation } from './conversation-api.js';

export function ResumeButton({ conversationId, onResumed }: { conversationId: string; onResumed?: () => void }) {
  const action = useHubAction();
  const resume = async (): Promise<void> => {
    const answer = await action.run(() => resumeConversation(conversationId));
    if (answer !== undefined) onResumed?.();
  };
  return (
    <span className="resume">
      <button type="button" onClick={() => void resume()} disabled={action.busy} data-testid="resume-conversation" aria-label={`Resume ${conversationId}`}>
        {action.busy ? 'Resuming…' : 'Resume'}
      </button>
      <HubErrorText error={action.error} />
    </span>
  );
}
