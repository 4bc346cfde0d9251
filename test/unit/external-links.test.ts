/** Which links the desktop window hands to the person's browser: only http(s) links the person clicked. */
import { describe, expect, it } from 'vitest';
import { externalLinkToOpen } from '../../electron/shell/external-links.js';

describe('links leaving the desktop window', () => {
  it('opens a clicked http or https link in the browser, as the normalised address', () => {
    expect(['https://docs.example.org/guide?x=1#top', 'http://example.com', 'HTTPS://Example.COM/a b'].map((url) => externalLinkToOpen(url, 'click'))).toEqual([
      'https://docs.example.org/guide?x=1#top',
      'http://example.com/',
      'https://example.com/a%20b',
    ]);
  });

  it('opens nothing a script opened or navigated to, even an https link', () => {
    expect(externalLinkToOpen('https://example.com/', 'script')).toBeUndefined();
  });

  it('opens no other scheme, even when clicked: javascript:, file:, data:, blob:, mailto: and custom app schemes', () => {
    const refused = [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'blob:http://127.0.0.1:8765/0b0e7d6c-7b0a-4f0e-9d4c-2c0c4b1f0a11',
      'mailto:someone@example.com',
      'ms-settings:privacy',
      'vscode://file/etc/hosts',
      'smb://server/share',
    ];
    expect(refused.map((url) => externalLinkToOpen(url, 'click'))).toEqual(refused.map(() => undefined));
  });

  it('opens nothing for an address that does not parse or that hides its real host behind a user name', () => {
    expect(
      ['', 'not a url', '//example.com/', 'https://docs.example.org@evil.example/', 'https://user:pw@example.com/'].map((url) =>
        externalLinkToOpen(url, 'click'),
      ),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
