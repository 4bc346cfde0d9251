/** The registry of frame handlers, one module per frame type (or family). */
import { clientFrameSchemas } from '../../../shared/index.js';
import type { Router } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { createConversationHandler, listConversationsHandler } from './conversations.js';
import { getStatusHandler } from './get-status.js';
import { helloHandler } from './hello.js';
import { heartbeatHandler, pingHandler } from './keepalive.js';
import { historyHandler } from './history.js';
import { metricsHandler } from './metrics.js';
import { inboxAckHandler } from './inbox-ack.js';
import { listAgentsHandler } from './list-agents.js';
import { resumeConversationHandler } from './resume-conversation.js';
import { sendBatchHandler } from './send-batch.js';
import { sendMessageHandler } from './send-message.js';
import { streamChunkHandler, streamEndHandler, streamStartHandler } from './stream.js';
import { subscribeHandler } from './subscribe.js';
import { textMessageHandler, textReplyChunkHandler, textReplyEndHandler } from './text-message.js';
import { unsubscribeHandler } from './unsubscribe.js';
import { taskChildHandlers } from './task-child.js';
import { taskMasterHandlers } from './task-master.js';

/** Registers every handler; throws when a client frame type of the protocol was left without one. */
export function registerHandlers(router: Router, s: HubServices): void {
  router.register(helloHandler(s));
  router.register(heartbeatHandler(s));
  router.register(pingHandler(s));
  router.register(getStatusHandler(s));
  router.register(sendMessageHandler(s));
  router.register(sendBatchHandler(s));
  router.register(subscribeHandler(s));
  router.register(unsubscribeHandler(s));
  router.register(historyHandler(s));
  router.register(createConversationHandler(s));
  router.register(listConversationsHandler(s));
  router.register(resumeConversationHandler(s));
  router.register(listAgentsHandler(s));
  router.register(inboxAckHandler(s));
  router.register(streamStartHandler(s));
  router.register(streamChunkHandler(s));
  router.register(streamEndHandler(s));
  for (const handler of [...taskMasterHandlers(s), ...taskChildHandlers(s)]) router.register(handler);
  router.register(metricsHandler(s));
  router.register(textMessageHandler(s.textAnswers));
  router.register(textReplyChunkHandler(s.textAnswers));
  router.register(textReplyEndHandler(s.textAnswers));
  router.requireHandlers(Object.keys(clientFrameSchemas));
}
