/** Helpers for browser-session tests: login links opened as a browser would, and the cookie it keeps. */
import { api, type TestHub } from './hub.js';

/** The Set-Cookie of a successful login; group 1 is the session secret. */
export const SESSION_COOKIE = /^switchboard_session=(sb_[\w-]{43}); HttpOnly; SameSite=Strict; Path=\/; Max-Age=2592000$/;

export interface OpenedLink {
  status: number;
  location: string | null;
  cookie: string | null;
  referrer: string | null;
  text: string;
}

/** Opens a login link without following the redirect. */
export async function openLink(url: string): Promise<OpenedLink> {
  const response = await fetch(url, { redirect: 'manual' });
  return {
    status: response.status,
    location: response.headers.get('location'),
    cookie: response.headers.get('set-cookie'),
    referrer: response.headers.get('referrer-policy'),
    text: await response.text(),
  };
}

/** A fresh login link from the hub's admin token. */
export async function newLink(hub: TestHub): Promise<string> {
  const { status, body } = await api(hub, 'POST', '/api/login-links');
  if (status !== 201) throw new Error(`no login link: ${JSON.stringify(body)}`);
  return body['url'] as string;
}

/** Opens a fresh login link and returns the Cookie header value a browser would send back. */
export async function logIn(hub: TestHub): Promise<string> {
  const opened = await openLink(await newLink(hub));
  const secret = SESSION_COOKIE.exec(opened.cookie ?? '')?.[1];
  if (secret === undefined) throw new Error(`no session cookie: ${JSON.stringify(opened)}`);
  return `switchboard_session=${secret}`;
}
