/** `trackInteraction`: times one interaction of an agent and reports it with the seed's metrics frame. */
import type { SwitchboardClient } from './client.js';

export interface InteractionTracker {
  intent(name: string): void;
  /** A tool the interaction used, optionally with its parameters (the seed's `{"tool","params"}`). */
  tool(name: string, params?: Record<string, unknown>): void;
  /** Marks the interaction failed with an error type, without throwing. */
  fail(errorType: string): void;
}

/**
 * Runs `work`, measures its response time, and sends `{type:"metrics",data:{…}}`; a thrown error marks
 * it failed (error type = the error's name) and is thrown on. Reporting is best effort: a hub that is
 * away does not fail the work.
 * @param options.sessionId groups interactions (default: one per client).
 */
export async function trackInteraction<T>(
  client: SwitchboardClient,
  input: string,
  work: (tracker: InteractionTracker) => T | Promise<T>,
  options: { sessionId?: string } = {},
): Promise<T> {
  let intent: string | null = null;
  let errorType: string | null = null;
  const tools: ({ tool: string; params: Record<string, unknown> } | string)[] = [];
  const tracker: InteractionTracker = {
    intent: (name) => void (intent = name),
    tool: (name, params) => void tools.push(params === undefined ? name : { tool: name, params }),
    fail: (type) => void (errorType = type),
  };
  const started = globalThis.performance.now();
  const report = (success: boolean): void => {
    const data = {
      session_id: options.sessionId ?? client.sessionId,
      timestamp: new Date().toISOString(),
      user_input: input.slice(0, 200),
      intent,
      tools_used: tools,
      response_time_ms: Math.round((globalThis.performance.now() - started) * 1000) / 1000,
      success,
      error_type: errorType,
    };
    void client.request({ type: 'metrics', data }).catch(() => {});
  };
  try {
    const result = await work(tracker);
    report(errorType === null);
    return result;
  } catch (error) {
    errorType ??= error instanceof Error ? error.name : 'Error';
    report(false);
    throw error;
  }
}
