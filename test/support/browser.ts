// A real headless browser for console tests: Debian's chromium driven by playwright-core, loopback-only, with numbered screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as `<artifactsDir>/<NN>-<name>.png` and returns its path. */
  shot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(opts: { artifactsDir: string; viewport?: { width: number; height: number } }): Promise<TestBrowser> {
  mkdirSync(opts.artifactsDir, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'steward-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: opts.viewport ?? { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // Only this machine's loopback services are real here (the provider's dev pages link a web font, for one).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  let n = 0;
  return {
    context,
    page,
    async shot(name, which = page) {
      const file = join(opts.artifactsDir, `${String(++n).padStart(2, '0')}-${name}.png`);
      await which.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
