// Helpers for the browser tests: Debian's Chromium driven by playwright-core
// (no browser download), and the real server from ../http/lib.mjs.
//
//   const browser = await launchBrowser();
//   const srv = await startServer({ kind: 'sqlite' });
//   const page = await browser.newPage();
//   await page.goto(srv.base + '/');
//   ...; await browser.close(); await srv.stop();
//
// Environment: CHROMIUM (default /usr/bin/chromium), plus those of ../http/lib.mjs.
import { chromium } from 'playwright-core';

export { startServer, withServer, Client, csrfFrom, ROOT } from '../http/lib.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in CI; Chromium's sandbox refuses root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; opts are passed on to chromium.launch(). */
export function launchBrowser(opts = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ...opts,
  });
}
