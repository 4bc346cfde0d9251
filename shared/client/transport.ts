/**
 * What the client core needs from a WebSocket, so the same core runs on Node's `ws` (agents) and on the
 * browser's WebSocket (the GUI). The token travels in the `hello` frame, which browsers allow.
 */

export interface Transport {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface TransportHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
}

/** Opens a connection to `url` and reports its life through `handlers`. */
export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

/** A factory for any WebSocket class with the browser's API (the browser's own, or `ws`). */
export function webSocketTransport(WebSocketClass: new (url: string) => BrowserLikeSocket): TransportFactory {
  return (url, handlers) => {
    const socket = new WebSocketClass(url);
    socket.onopen = () => handlers.open();
    socket.onmessage = (event) => handlers.message(typeof event.data === 'string' ? event.data : String(event.data));
    socket.onclose = (event) => handlers.close(event.code, event.reason);
    socket.onerror = () => {};
    return { send: (data) => socket.send(data), close: (code, reason) => socket.close(code, reason) };
  };
}

/**
 * A handler property as the DOM declares it. Declared through a method so it is checked bivariantly: the
 * browser's `(ev: MessageEvent) => any` and `ws`'s own event types both fit without casts.
 */
type EventHandler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface BrowserLikeSocket {
  onopen: EventHandler<unknown> | null;
  onmessage: EventHandler<{ data: unknown }> | null;
  onclose: EventHandler<{ code: number; reason: string }> | null;
  onerror: EventHandler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
