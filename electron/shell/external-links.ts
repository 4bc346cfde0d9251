/**
 * Which links leave the desktop window for the person's browser: only an http(s) link the person
 * clicked. Anything a script opens or navigates to by itself stays shut, whatever its scheme.
 */

/**
 * How the link arrived: `click` from the preload, which forwards only a real (trusted) click on a link;
 * `script` from a window the page opened or a navigation it started, where Electron cannot tell a click
 * from a script.
 */
export type LinkTrigger = 'click' | 'script';

/** The address to hand to the browser, or undefined to open nothing. */
export function externalLinkToOpen(url: string, trigger: LinkTrigger): string | undefined {
  if (trigger !== 'click') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  // `https://docs.example@evil.example/` reads as one site and goes to another.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
