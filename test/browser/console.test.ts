/**
 * The emulator console in a real browser: Debian's Chromium (provided by test/globalSetup.ts), driven by
 * playwright-core. One browser and one tab for the file (each test loads the page afresh in it; the tab keeps
 * the token in its session storage, as a person's would); the tests that need a tab without the token open
 * their own context.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBatchPredictionCommand,
  GetBatchPredictionCommand,
  MachineLearningClient,
} from '@aws-sdk/client-machine-learning';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { ResourceFailedError, waitForBatchPrediction } from '../../src/index.js';
import { launchChromium, screenshotPath } from '../helpers/chromium.js';
import { CHROMIUM_PATH } from '../helpers/providedContext.js';

const TOKEN = 'browser-test-control-token';

describe('emulator console in Chromium', () => {
  const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 0, 1, 9) });
  let emu: Emulator;
  let browser: Browser;
  let sdk: MachineLearningClient;
  let tab: Page;
  let errors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ console: true, clock, controlToken: TOKEN, autoCreateReferences: true });
    // evil.test resolves to the emulator's address: a DNS-rebinding attack, as the browser sees it.
    browser = await launchChromium(inject(CHROMIUM_PATH), ['--host-resolver-rules=MAP evil.test 127.0.0.1']);
    sdk = new MachineLearningClient({
      endpoint: emu.endpoint,
      region: emu.region,
      credentials: emu.credentials,
      maxAttempts: 1,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    tab = await context.newPage();
    collectErrors(tab, (message) => errors.push(message));
  }, 60_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    emu.reset();
  });
  afterAll(async () => {
    sdk.destroy();
    await browser.close();
    await emu.close();
  });

  function collectErrors(page: Page, add: (message: string) => void): void {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') add(message.text());
    });
    page.on('pageerror', (error) => {
      add(error.message);
    });
  }

  /**
   * Loads the console afresh in the file's tab (with the token in the URL's fragment, as
   * `aml-emulator --console` prints it), or with `token: null` in a new context that has no token; the
   * page's console errors and warnings are collected.
   */
  async function openConsole(
    options: { token?: null; width?: number; height?: number } = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const viewport = { width: options.width ?? 1280, height: options.height ?? 800 };
    if (options.token === null) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const own: string[] = [];
      collectErrors(page, (message) => own.push(message));
      await page.goto(emu.consoleUrl as string);
      return { page, errors: own };
    }
    await tab.setViewportSize(viewport);
    // Leave the page first: a URL that differs only in its fragment would not load it again.
    await tab.goto('about:blank');
    errors = [];
    await tab.goto(`${emu.consoleUrl as string}#token=${TOKEN}`);
    return { page: tab, errors };
  }

  async function live(page: Page): Promise<void> {
    await page.waitForSelector('#connection[data-state="live"]');
  }

  const row = (id: string) => `#resource-rows tr[data-id="${id}"]`;

  it('loads with no console errors, goes live, and keeps the token out of the address bar and the DOM', async () => {
    const { page, errors } = await openConsole();
    await live(page);
    expect(await page.textContent('#connection')).toBe('Live');
    expect(page.url()).toBe(emu.consoleUrl);
    expect(await page.content()).not.toContain(TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem('aml-emulator-console.token'))).toBe(TOKEN);
    expect(await page.textContent('#clock')).toContain('virtual');
    expect(await page.isVisible('#no-resources')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a resource created through the SDK and moves it through its statuses live', async () => {
    const { page, errors } = await openConsole();
    await live(page);
    await sdk.send(
      new CreateBatchPredictionCommand({
        BatchPredictionId: 'bp-sdk',
        BatchPredictionName: 'Scoring run',
        MLModelId: 'ml-sdk',
        BatchPredictionDataSourceId: 'ds-sdk',
        OutputUri: 's3://bucket/out/',
      }),
    );
    await page.waitForSelector(`${row('bp-sdk')}[data-status="PENDING"]`);
    expect(await page.textContent(`${row('bp-sdk')} .badge`)).toBe('PENDING');
    const timeline = await page.getAttribute(`${row('bp-sdk')} .timeline`, 'aria-label');
    expect(timeline).toBe(
      'Lifecycle: PENDING 0 ms–1.0 s, INPROGRESS 1.0 s–3.0 s, COMPLETED from 3.0 s; now 0 ms after creation',
    );
    // The references it needed were created too (autoCreateReferences), and every kind is listed.
    await page.waitForSelector(`${row('ml-sdk')}[data-kind="MLModel"]`);
    await page.waitForSelector(`${row('ds-sdk')}[data-kind="DataSource"]`);
    clock.advance(1000);
    await page.waitForSelector(`${row('bp-sdk')}[data-status="INPROGRESS"]`);
    await sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-sdk' }));
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === '1',
      `${row('bp-sdk')} td[data-label="Requests"] span`,
    );
    clock.advance(2000);
    await page.waitForSelector(`${row('bp-sdk')}[data-status="COMPLETED"]`);
    expect(await page.textContent(`${row('bp-sdk')} .badge`)).toBe('COMPLETED');
    expect(await page.getAttribute(`${row('bp-sdk')} .timeline`, 'aria-label')).toContain(
      'COMPLETED from 3.0 s; now 3.0 s after creation',
    );
    await page.waitForSelector('#request-rows tr[data-operation="GetBatchPrediction"][data-id="bp-sdk"]');
    expect(errors).toEqual([]);
  });

  it('pushing a resource to FAILED from the page makes a running waitForBatchPrediction reject', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-wait' }, [{ status: 'INPROGRESS' }]);
    const { page, errors } = await openConsole();
    await live(page);
    const wait = waitForBatchPrediction('bp-wait', {
      client: { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
      minDelayMs: 20,
      maxDelayMs: 50,
      timeoutMs: 15_000,
    });
    const outcome = wait.then(
      () => 'completed',
      (error: unknown) => error,
    );
    await page.waitForSelector(`${row('bp-wait')}[data-status="INPROGRESS"]`);
    // The wait is polling: its requests show in the page.
    await page.waitForSelector('#request-rows tr[data-id="bp-wait"]');
    clock.advance(4000);
    await page.click(`${row('bp-wait')} button.push-FAILED`);
    await page.fill('#push-message', 'Stopped from the console');
    await page.click('#push-form button[type="submit"]');
    const error = await outcome;
    expect(error).toBeInstanceOf(ResourceFailedError);
    expect((error as ResourceFailedError).message).toContain('Stopped from the console');
    await page.waitForFunction(() => document.querySelector('#notice')?.textContent.startsWith('Pushed'));
    expect(await page.textContent('#notice')).toBe(
      'Pushed BatchPrediction bp-wait to FAILED: Stopped from the console.',
    );
    await page.waitForSelector(`${row('bp-wait')}[data-status="FAILED"]`);
    // The timeline keeps the phase before the push.
    expect(await page.getAttribute(`${row('bp-wait')} .timeline`, 'aria-label')).toBe(
      'Lifecycle: INPROGRESS 0 ms–4.0 s, FAILED from 4.0 s; now 4.0 s after creation',
    );
    expect(errors).toEqual([]);
  });

  it('creates a scripted resource, pushes to COMPLETED and DELETED, and resets, from the page', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-done', Status: 'INPROGRESS' });
    const { page, errors } = await openConsole();
    await live(page);
    await page.selectOption('#create-kind', 'MLModel');
    await page.fill('#create-id', 'ml-scripted');
    await page.fill('#create-name', 'From the page');
    await page.check('#create-scripted');
    await page.fill('#create-pending', '2');
    await page.fill('#create-inprogress', '3');
    await page.selectOption('#create-outcome', 'FAILED');
    await page.fill('#create-message', 'Scripted from the page');
    await page.click('#create-form button[type="submit"]');
    await page.waitForSelector(`${row('ml-scripted')}[data-status="PENDING"]`);
    expect(await page.getAttribute(`${row('ml-scripted')} .timeline`, 'aria-label')).toBe(
      'Lifecycle: PENDING 0 ms–2.0 s, INPROGRESS 2.0 s–5.0 s, FAILED from 5.0 s; now 0 ms after creation',
    );
    clock.advance(5000);
    await page.waitForSelector(`${row('ml-scripted')}[data-status="FAILED"]`);
    expect(emu.get('MLModel', 'ml-scripted')).toMatchObject({
      Name: 'From the page',
      Status: 'FAILED',
      Message: 'Scripted from the page',
    });
    await page.click(`${row('bp-done')} button.push-COMPLETED`);
    await page.waitForSelector(`${row('bp-done')}[data-status="COMPLETED"]`);
    expect(emu.get('BatchPrediction', 'bp-done')?.Status).toBe('COMPLETED');
    await page.click(`${row('ml-scripted')} button.push-DELETED`);
    await page.waitForSelector(`${row('ml-scripted')}[data-status="DELETED"]`);
    expect(emu.get('MLModel', 'ml-scripted')?.Status).toBe('DELETED');
    await page.click('#reset');
    await page.waitForSelector('#no-resources', { state: 'visible' });
    expect(emu.get('BatchPrediction', 'bp-done')).toBeUndefined();
    expect(await page.textContent('#notice')).toBe(
      'The emulator was reset: resources, faults and the request log are gone.',
    );
    expect(errors).toEqual([]);
  });

  it('a fault added from the page makes the next request throttled', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-fault', Status: 'INPROGRESS' });
    const { page, errors } = await openConsole();
    await live(page);
    await page.selectOption('#fault-kind', 'throttle');
    await page.fill('#fault-operation', 'GetBatchPrediction');
    await page.fill('#fault-times', '1');
    await page.click('#fault-form button[type="submit"]');
    await page.waitForSelector('#fault-list li[data-kind="throttle"]');
    expect(emu.faults()).toMatchObject([{ kind: 'throttle', operation: 'GetBatchPrediction', times: 1 }]);
    await expect(
      sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-fault' })),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const next = await sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-fault' }));
    expect(next.Status).toBe('INPROGRESS');
    const throttled = '#request-rows tr.error[data-id="bp-fault"]';
    await page.waitForSelector(throttled);
    expect(await page.textContent(`${throttled} td[data-label="Status"]`)).toBe('400 ThrottlingException');
    expect(await page.textContent(`${throttled} td[data-label="Fault"]`)).toBe('throttle');
    await page.waitForFunction(() =>
      document.querySelector('#fault-list li')?.textContent.includes('matched 2, applied 1'),
    );
    // Filter the log by id and operation.
    await page.fill('#request-id-filter', 'nothing-like-this');
    await page.waitForSelector('#request-rows tr', { state: 'detached' });
    await page.fill('#request-id-filter', 'fault');
    await page.selectOption('#request-operation-filter', 'GetBatchPrediction');
    await page.waitForFunction(() => document.querySelectorAll('#request-rows tr').length === 2);
    await page.click('#fault-list li button');
    await page.waitForSelector('#no-faults', { state: 'visible' });
    expect(emu.faults()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('without the token nothing changes, and the page says why', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-safe', Status: 'INPROGRESS' });
    const { page } = await openConsole({ token: null });
    await page.waitForSelector('#connection[data-state="stopped"]');
    expect(await page.textContent('#connection')).toBe('Not connected: the console needs the control token');
    expect(await page.textContent('#notice')).toContain('No control token');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    const tryEverything = async (): Promise<void> => {
      await page.fill('#create-id', 'bp-intruder');
      await page.click('#create-form button[type="submit"]');
      await page.click('#fault-form button[type="submit"]');
      await page.click('#reset');
    };
    await tryEverything();
    expect(await page.textContent('#notice')).toBe(
      'No control token: enter the token aml-emulator printed when it started. Nothing was sent, nothing changed.',
    );
    await page.fill('#token', 'a-wrong-token');
    await page.press('#token', 'Enter');
    await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('not valid'));
    expect(await page.textContent('#notice')).toBe(
      'The control token is not valid. Nothing was changed: enter the token aml-emulator printed when it started.',
    );
    await tryEverything();
    await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('not valid'));
    expect(emu.get('BatchPrediction', 'bp-intruder')).toBeUndefined();
    expect(emu.get('BatchPrediction', 'bp-safe')?.Status).toBe('INPROGRESS');
    expect(emu.faults()).toEqual([]);
    expect(await page.locator('#resource-rows tr').count()).toBe(0);
  });

  it('other sites in the same browser can neither drive nor read it', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-target', Status: 'INPROGRESS' });
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // DNS rebinding: a name the attacker controls now points at the emulator.
    const rebound = await page.goto(`http://evil.test:${emu.port}/__console/`);
    expect(rebound?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('ForeignRequestException');
    // Another local site (another port is another origin) tries the control interface and the stream.
    const other = createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>another site</title><p>hello</p>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const attempts = await page.evaluate(
        async ({ endpoint, token }) => {
          const results: string[] = [];
          const attempt = async (label: string, run: () => Promise<Response>): Promise<void> => {
            try {
              const res = await run();
              results.push(`${label}: ${res.type} ${res.status}`);
            } catch (error) {
              results.push(`${label}: ${(error as Error).name}`);
            }
          };
          await attempt('reset, no-cors', () =>
            fetch(`${endpoint}/__control/reset`, { method: 'POST', mode: 'no-cors' }),
          );
          await attempt('reset, with token', () =>
            fetch(`${endpoint}/__control/reset`, {
              method: 'POST',
              headers: { 'x-aml-emulator-token': token },
            }),
          );
          await attempt('stream, with token', () =>
            fetch(`${endpoint}/__console/events`, { headers: { 'x-aml-emulator-token': token } }),
          );
          await attempt('page', () => fetch(`${endpoint}/__console/`));
          return results;
        },
        { endpoint: emu.endpoint, token: TOKEN },
      );
      // Refused: the emulator answers 403 (no CORS, Cross-Origin-Resource-Policy: same-origin), so even the
      // opaque no-cors answer is blocked; the other site reads nothing, and nothing was changed.
      expect(attempts).toEqual([
        'reset, no-cors: TypeError',
        'reset, with token: TypeError',
        'stream, with token: TypeError',
        'page: TypeError',
      ]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    expect(emu.get('BatchPrediction', 'bp-target')?.Status).toBe('INPROGRESS');
  });

  it('can be operated with the keyboard alone', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-keys', Status: 'INPROGRESS' });
    const { page, errors } = await openConsole();
    await live(page);
    await page.waitForSelector(row('bp-keys'));
    /** Presses Tab until the focused element matches `selector`; fails after `limit` presses. */
    const tabTo = async (selector: string, limit = 60): Promise<void> => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) return;
      }
      throw new Error(
        `Tab never reached ${selector}; focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`,
      );
    };
    // The skip link comes first and jumps to the resources.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to resources');
    await tabTo(`${row('bp-keys')} button.push-FAILED`);
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('push-message');
    await page.keyboard.type('Failed by keyboard');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${row('bp-keys')}[data-status="FAILED"]`);
    expect(emu.get('BatchPrediction', 'bp-keys')).toMatchObject({
      Status: 'FAILED',
      Message: 'Failed by keyboard',
    });
    // Escape cancels the dialog and the focus goes back to the button.
    await page.keyboard.press('Enter');
    await page.waitForSelector('#push-dialog[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#push-dialog:not([open])', { state: 'attached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Fail…: push bp-keys to FAILED now',
    );
    // Create a resource from the form, by keyboard.
    await tabTo('#create-kind');
    await page.keyboard.press('ArrowDown');
    await tabTo('#create-id');
    await page.keyboard.type('ds-keys');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${row('ds-keys')}[data-kind="DataSource"]`);
    expect(emu.get('DataSource', 'ds-keys')?.Status).toBe('PENDING');
    expect(errors).toEqual([]);
  });

  for (const [width, height] of [
    [1280, 800],
    [600, 800],
  ] as const) {
    it(`works at ${width}×${height}: nothing wider than the window, every control on screen`, async () => {
      emu.put('MLModel', { MLModelId: 'ml-size', Name: 'Churn model', Status: 'COMPLETED' });
      emu.put('DataSource', { DataSourceId: 'ds-size', Name: 'March customers' });
      emu.put('BatchPrediction', { BatchPredictionId: 'bp-size', Name: 'Nightly scoring' }, [
        { status: 'PENDING', forMs: 2000 },
        { status: 'INPROGRESS', forMs: 6000 },
        { status: 'COMPLETED' },
      ]);
      emu.put('Evaluation', { EvaluationId: 'ev-size' }, [
        { status: 'PENDING', forMs: 500 },
        { status: 'FAILED', message: 'Bad data' },
      ]);
      emu.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 1 });
      for (let i = 0; i < 3; i++) {
        await sdk
          .send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-size' }))
          .catch(() => undefined);
      }
      clock.advance(3000);
      const { page, errors } = await openConsole({ width, height });
      await live(page);
      await page.waitForSelector(`${row('ev-size')}[data-status="FAILED"]`);
      await page.waitForSelector('#request-rows tr');
      const layout = await page.evaluate(() => {
        const controls = [...document.querySelectorAll('button, input, select, .timeline')].filter(
          (e) => !(e as HTMLElement).closest('[hidden], dialog'),
        );
        const outside = controls
          .map((e) => ({
            id: e.id !== '' ? e.id : (e.getAttribute('aria-label') ?? e.className),
            box: e.getBoundingClientRect(),
          }))
          .filter(({ box }) => box.left < 0 || box.right > window.innerWidth + 0.5 || box.width === 0);
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          outside: outside.map((o) => o.id),
          timelineWidth: document.querySelector('.timeline')?.getBoundingClientRect().width ?? 0,
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.outside).toEqual([]);
      expect(layout.timelineWidth).toBeGreaterThan(width > 1000 ? 300 : 250);
      await page.screenshot({ path: screenshotPath(`console-${width}x${height}.png`), fullPage: true });
      expect(errors).toEqual([]);
    });
  }
});
