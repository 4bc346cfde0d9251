/**
 * The dashboard under load, in Chromium against a real hub: long tasks, frame intervals and JS heap while
 * a conversation open in the window takes a firehose of live messages, and while a 100,000-message
 * conversation is opened and scrolled back through its pages.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ACK, connectClient, intAfter, startsWith, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';
import { quantile } from './report.js';
import { measureThroughput } from './throughput.js';

/** Debian's Chromium, as the browser tests use it. */
export const CHROMIUM = process.env['SWITCHBOARD_CHROMIUM'] ?? '/usr/bin/chromium';

export interface FirehoseOptions {
  conversation: string;
  ratePerSecond: number;
  /** Sends go out on a timer of this period, as many as the rate says are due. */
  tickMs: number;
  seconds: number;
  contentBytes: number;
}

export interface BigConversationOptions {
  conversation: string;
  messages: number;
  contentBytes: number;
  /** How many of the newest messages to scroll back through. */
  scrollBack: number;
  /** Pixels scrolled up per animation frame. */
  scrollStepPx: number;
  /** Gives up scrolling after this long. */
  maxScrollSeconds: number;
}

/** What the page recorded while it was measured. */
export interface Smoothness {
  /** Main-thread tasks over 50 ms, as the browser reports them. */
  longTasks: { count: number; totalMs: number; longestMs: number };
  /** Milliseconds between animation frames. */
  frames: { count: number; p50: number; p95: number; max: number };
}

export interface FirehoseResult extends Smoothness {
  sent: number;
  lastSeq: number;
  /** Milliseconds from the last send to the frame that first had the last message's row; undefined if it never came. */
  shownAfterMs: number | undefined;
}

export interface BigConversationResult extends Smoothness {
  messages: number;
  fillSeconds: number;
  /** Milliseconds from routing to the conversation to the frame with its newest message on screen. */
  firstRenderMs: number;
  scrollSeconds: number;
  scrollSteps: number;
  /** Steps whose scroll the timeline put back before the next step (see scrollBack). */
  undoneSteps: number;
  /** JS heap after a garbage collection, with the newest page open and after scrolling; the highest seen while scrolling. */
  heap: { opened: number; scrolled: number; peak: number };
}

/** The DOM as the page functions below use it; this project's Node code has no DOM types. */
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  location: { hash: string };
  performance: { now(): number; timeOrigin: number; memory: { usedJSHeapSize: number } };
  requestAnimationFrame(callback: (time: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => {
    observe(options: { type: string }): void;
    disconnect(): void;
  };
  gc(): void;
  benchRecorder?: Recorder;
}
interface PageElement {
  scrollTop: number;
  scrollHeight: number;
  getAttribute(name: string): string | null;
}
interface Recorder {
  longTasks: number[];
  frames: number[];
  /** The highest seq among the message rows, and when (epoch ms) a frame first had it. */
  lastSeq: number;
  lastSeqAt: number;
  stop(): void;
}

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // Exact heap figures (rounded to coarse buckets otherwise), and gc() to read what stays.
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];
const SHOWN_TIMEOUT_MS = 10_000;
const SEQ_KEY = Buffer.from('"seq":');

/** Runs `measure` against a Chromium of its own. */
export async function withChromium<T>(measure: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    return await measure(browser);
  } finally {
    await browser.close();
  }
}

/** A live conversation open in the window takes `ratePerSecond` messages for `seconds` from one agent. */
export async function measureFirehose(hub: HubProcess, browser: Browser, options: FirehoseOptions): Promise<FirehoseResult> {
  const sender = await connectClient(hub, 'bench-firehose');
  const content = 'x'.repeat(options.contentBytes);
  const frame = (id: number): string => `{"type":"send_message","conversation_id":${JSON.stringify(options.conversation)},"content":"${content}","id":${id}}`;
  const total = options.ratePerSecond * options.seconds;
  const { context, page } = await openDashboard(browser, hub);
  try {
    // The conversation exists before the window routes to it; its first message stays on screen.
    sender.sendBatch([frame(0)]);
    const first = await nextAckSeq(sender);
    await showConversation(page, options.conversation, first);
    await startRecording(page);
    let lastSeq = 0;
    let lastSentAt = 0;
    await new Promise<void>((resolve, reject) => {
      let acked = 0;
      let sent = 0;
      const start = performance.now();
      sender.ws.on('message', (data: Buffer) => {
        if (!startsWith(data, ACK)) {
          clearInterval(timer);
          reject(new Error(`the sender got ${data.toString('utf8').slice(0, 300)}`));
        } else {
          lastSeq = Math.max(lastSeq, intAfter(data, SEQ_KEY));
          if (++acked === total) resolve();
        }
      });
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.ratePerSecond));
        const frames: string[] = [];
        while (sent < due) frames.push(frame(++sent));
        if (frames.length > 0) sender.sendBatch(frames);
        if (sent < total) return;
        lastSentAt = performance.timeOrigin + performance.now();
        clearInterval(timer);
      }, options.tickMs);
    });
    const shownAt = await waitForLastSeq(page, lastSeq);
    return { sent: total, lastSeq, shownAfterMs: shownAt === undefined ? undefined : shownAt - lastSentAt, ...(await stopRecording(page)) };
  } finally {
    await Promise.all([context.close(), sender.close()]);
  }
}

/** Fills a conversation, opens it (the newest page) and scrolls up until the `scrollBack`th newest message is on screen. */
export async function measureBigConversation(hub: HubProcess, browser: Browser, options: BigConversationOptions): Promise<BigConversationResult> {
  const fill = await measureThroughput(hub, {
    conversation: options.conversation,
    subscribers: 0,
    window: 2000,
    contentBytes: options.contentBytes,
    maxMessages: options.messages,
    maxSeconds: 120,
  });
  if (fill.messages !== options.messages) throw new Error(`stored only ${fill.messages} of ${options.messages} messages`);
  // Seqs count across all conversations; nothing else writes during the fill, so this one's are consecutive.
  const path = `/api/conversations/${encodeURIComponent(options.conversation)}/messages`;
  const [first, last] = await Promise.all([onlySeq(hub, `${path}?since=0&limit=1`), onlySeq(hub, `${path}?before=${Number.MAX_SAFE_INTEGER}&limit=1`)]);
  if (last - first + 1 !== options.messages) throw new Error(`seqs ${first}..${last} are not ${options.messages} consecutive ones`);
  const target = last - options.scrollBack + 1;
  const { context, page } = await openDashboard(browser, hub);
  try {
    await startRecording(page);
    const firstRenderMs = await showConversation(page, options.conversation, last);
    const opened = await heapAfterGc(page);
    const scroll = await page.evaluate(scrollBack, { seq: target, stepPx: options.scrollStepPx, timeoutMs: options.maxScrollSeconds * 1000 });
    if (!scroll.reached) throw new Error(`message ${target} was not on screen after ${options.maxScrollSeconds} s of scrolling`);
    const smoothness = await stopRecording(page);
    return {
      messages: fill.messages,
      fillSeconds: fill.seconds,
      firstRenderMs,
      scrollSeconds: scroll.ms / 1000,
      scrollSteps: scroll.steps,
      undoneSteps: scroll.undone,
      heap: { opened, scrolled: await heapAfterGc(page), peak: scroll.peakHeap },
      ...smoothness,
    };
  } finally {
    await context.close();
  }
}

async function onlySeq(hub: HubProcess, path: string): Promise<number> {
  const { messages } = (await hub.getJson(path)) as { messages: { seq: number }[] };
  if (messages[0] === undefined) throw new Error(`no message at ${path}`);
  return messages[0].seq;
}

function nextAckSeq(client: BenchClient): Promise<number> {
  return new Promise((resolve, reject) => {
    client.ws.once('message', (data: Buffer) =>
      startsWith(data, ACK) ? resolve(intAfter(data, SEQ_KEY)) : reject(new Error(`expected an ack, got ${data.toString('utf8')}`)),
    );
  });
}

/** Signs in through a one-time login link and waits until the window is connected live. */
async function openDashboard(browser: Browser, hub: HubProcess): Promise<{ context: BrowserContext; page: Page }> {
  const response = await fetch(`http://127.0.0.1:${hub.port}/api/login-links`, { method: 'POST', headers: { authorization: `Bearer ${hub.token}` } });
  if (!response.ok) throw new Error(`login link refused: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
  return { context, page };
}

/** Routes to the conversation and resolves, in milliseconds since, on the first frame with message `seq` in the page. */
async function showConversation(page: Page, id: string, seq: number): Promise<number> {
  const ms = await page.evaluate(
    ({ hash, selector, timeoutMs }) => {
      const g = globalThis as unknown as PageGlobals;
      const start = g.performance.now();
      g.location.hash = hash;
      return new Promise<number | undefined>((resolve) => {
        const check = (time: number): void => {
          if (g.document.querySelector(selector) !== null) resolve(time - start);
          else if (time - start > timeoutMs) resolve(undefined);
          else g.requestAnimationFrame(check);
        };
        g.requestAnimationFrame(check);
      });
    },
    { hash: `#/conversations/${encodeURIComponent(id)}`, selector: `[data-testid="message"][data-seq="${seq}"]`, timeoutMs: SHOWN_TIMEOUT_MS },
  );
  if (ms === undefined) throw new Error(`message ${seq} of ${id} was not on screen within ${SHOWN_TIMEOUT_MS} ms of opening it`);
  return ms;
}

/** Starts recording long tasks, frame intervals and the newest message row in the page. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const recorder: Recorder = { longTasks: [], frames: [], lastSeq: 0, lastSeqAt: 0, stop: () => undefined };
    const observer = new g.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) recorder.longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask' });
    let running = true;
    let previous: number | undefined;
    const onFrame = (time: number): void => {
      if (!running) return;
      if (previous !== undefined) recorder.frames.push(time - previous);
      previous = time;
      const rows = g.document.querySelectorAll('[data-testid="message"]');
      const seq = Number(rows[rows.length - 1]?.getAttribute('data-seq') ?? 0);
      if (seq > recorder.lastSeq) {
        recorder.lastSeq = seq;
        recorder.lastSeqAt = g.performance.timeOrigin + time;
      }
      g.requestAnimationFrame(onFrame);
    };
    g.requestAnimationFrame(onFrame);
    recorder.stop = () => {
      running = false;
      observer.disconnect();
    };
    g.benchRecorder = recorder;
  });
}

/** Polls the recorder until the newest row is `seq`; resolves with the (epoch ms) frame it was first in, or undefined on time-out. */
async function waitForLastSeq(page: Page, seq: number): Promise<number | undefined> {
  const deadline = performance.now() + SHOWN_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const seen = await page.evaluate(() => {
      const recorder = (globalThis as unknown as PageGlobals).benchRecorder;
      return { seq: recorder?.lastSeq ?? 0, at: recorder?.lastSeqAt ?? 0 };
    });
    if (seen.seq >= seq) return seen.at;
    await sleep(50);
  }
  return undefined;
}

async function stopRecording(page: Page): Promise<Smoothness> {
  const { longTasks, frames } = await page.evaluate(() => {
    const recorder = (globalThis as unknown as PageGlobals).benchRecorder;
    if (recorder === undefined) throw new Error('not recording');
    recorder.stop();
    return { longTasks: recorder.longTasks, frames: recorder.frames };
  });
  const sorted = Float64Array.from(frames).sort();
  return {
    longTasks: { count: longTasks.length, totalMs: longTasks.reduce((a, b) => a + b, 0), longestMs: Math.max(0, ...longTasks) },
    frames: { count: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? Number.NaN },
  };
}

function heapAfterGc(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    g.gc();
    return g.performance.memory.usedJSHeapSize;
  });
}

/**
 * Runs in the page: scrolls the timeline up `stepPx` per frame until a row at or before message `seq` is
 * in the page. Older pages load as the timeline nears its top (it asks for them itself); steps at the top
 * wait for them. A step counts as undone when the next frame finds the timeline back where it was: the
 * virtualiser corrects the size of rows it measured from the offset it last read, which can be from before
 * the step.
 */
function scrollBack({
  seq,
  stepPx,
  timeoutMs,
}: {
  seq: number;
  stepPx: number;
  timeoutMs: number;
}): Promise<{ reached: boolean; ms: number; steps: number; undone: number; peakHeap: number }> {
  const g = globalThis as unknown as PageGlobals;
  const timeline = g.document.querySelector('[data-testid="timeline"]');
  if (timeline === null) throw new Error('no timeline in the page');
  const start = g.performance.now();
  let steps = 0;
  let undone = 0;
  let peakHeap = 0;
  let written: { top: number; height: number } | undefined;
  return new Promise((resolve) => {
    const step = (time: number): void => {
      peakHeap = Math.max(peakHeap, g.performance.memory.usedJSHeapSize);
      if (written !== undefined) {
        // Rows measured since shift the content by a few pixels; frames where a page came or went are not judged.
        const grown = timeline.scrollHeight - written.height;
        if (Math.abs(grown) < stepPx / 2 && timeline.scrollTop - grown - written.top > stepPx / 2) undone++;
      }
      const oldest = Number(g.document.querySelector('[data-testid="message"]')?.getAttribute('data-seq') ?? Number.POSITIVE_INFINITY);
      if (oldest <= seq || time - start > timeoutMs) {
        resolve({ reached: oldest <= seq, ms: time - start, steps, undone, peakHeap });
        return;
      }
      timeline.scrollTop = Math.max(0, timeline.scrollTop - stepPx);
      written = { top: timeline.scrollTop, height: timeline.scrollHeight };
      steps++;
      g.requestAnimationFrame(step);
    };
    g.requestAnimationFrame(step);
  });
}
