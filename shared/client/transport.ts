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

export interface BrowserLikeSocket {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
