/**
 * Draws the tray icons in resources/ from SVG with Chromium: one per hub state (running, stopped,
 * error), 16 px and @2x, coloured for Linux and Windows, and macOS template images (black with alpha,
 * which the menu bar recolours). Run after changing the drawing: node dist/scripts/render-tray-icons.js
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const RESOURCES = fileURLToPath(new URL('../../resources', import.meta.url));
const STATES = {
  running: { line: '#38bdf8', dot: '#22c55e', badge: undefined, templateAlpha: 1 },
  stopped: { line: '#9ca3af', dot: '#9ca3af', badge: undefined, templateAlpha: 0.45 },
  error: { line: '#9ca3af', dot: '#9ca3af', badge: '#ef4444', templateAlpha: 0.45 },
} as const;

/** A disc with an exclamation mark cut out: a template image has only alpha, so the mark must be a hole. */
const BADGE = 'M24 16.5 a7.5 7.5 0 1 0 0.001 0 Z M23 19 h2 v6 h-2 Z M23 26.5 h2 v2 h-2 Z';

/** The app's glyph (three cords across a board) on a 32-unit grid, with an optional warning badge. */
function glyph(line: string, dot: string, badge: string | undefined, alpha: number): string {
  const cords = ['M7 9 C 15 9, 17 23, 25 23', 'M7 23 C 15 23, 17 9, 25 9', 'M7 16 H 25'];
  const dots = [
    [7, 9],
    [7, 16],
    [7, 23],
    [25, 9],
    [25, 16],
    [25, 23],
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
  <g opacity="${alpha}">
    <g stroke="${line}" stroke-width="2.6" stroke-linecap="round" fill="none">${cords.map((d) => `<path d="${d}"/>`).join('')}</g>
    <g fill="${dot}">${dots.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="3.4"/>`).join('')}</g>
  </g>
  ${badge === undefined ? '' : `<path fill="${badge}" fill-rule="evenodd" d="${BADGE}"/>`}
</svg>`;
}

const browser = await chromium.launch({ executablePath: process.env['SWITCHBOARD_CHROMIUM'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [state, look] of Object.entries(STATES)) {
    const variants = [
      { suffix: '', svg: glyph(look.line, look.dot, look.badge, 1) },
      { suffix: 'Template', svg: glyph('#000', '#000', look.badge === undefined ? undefined : '#000', look.templateAlpha) },
    ];
    for (const { suffix, svg } of variants) {
      for (const scale of [1, 2]) {
        const page = await browser.newPage({ viewport: { width: 16, height: 16 }, deviceScaleFactor: scale });
        await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:16px;height:16px;display:block}</style>${svg}`);
        const name = `tray-${state}${suffix}${scale === 2 ? '@2x' : ''}.png`;
        await page.screenshot({ path: join(RESOURCES, name), omitBackground: true });
        await page.close();
        console.log(`resources/${name}`);
      }
    }
  }
} finally {
  await browser.close();
}
