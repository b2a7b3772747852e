import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../helpers/serve.js';

const startServer = useServer();
const screenshots = join(process.cwd(), 'test-results', 'console');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('the web console (headless Chromium)', () => {
  it('shows a session’s events live, approves a waiting call for 15 minutes and lists the grant', async () => {
    const server = await startServer();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/#token=${server.token}`);
    expect(page.url()).not.toContain(server.token);

    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Message').fill('write hello.txt');
    await page.getByRole('button', { name: 'Send' }).click();

    const timeline = page.locator('#timeline li');
    await timeline.filter({ hasText: 'user.message' }).waitFor();
    await timeline.filter({ hasText: 'approval.requested' }).waitFor();
    const approval = page.locator('#approvals .card');
    await expect.poll(() => approval.textContent()).toContain('fs.write');
    await page.screenshot({ path: join(screenshots, '1-approval-waiting.png'), fullPage: true });

    await approval.getByRole('button', { name: '15 min' }).click();
    await timeline.filter({ hasText: 'turn.completed' }).waitFor();
    const grant = page.locator('#grants .card');
    await expect.poll(() => grant.first().textContent()).toContain('fs.write');
    expect(await grant.first().textContent()).toContain('until');
    await page.screenshot({ path: join(screenshots, '2-approved-and-granted.png'), fullPage: true });

    const answer = await server.call('/v1/sessions');
    expect(answer.body[0].eventCount).toBeGreaterThan(5);
    await page.close();
  });
});
