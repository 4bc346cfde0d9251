/** Capability names with a meaning to the hub. Free of schemas, so the agent SDK can use them without loading zod. */

/** The capability an agent declares in `hello` to be offered `text_message` questions. */
export const TEXT_MESSAGE_CAPABILITY = 'text_message';
