// lighthouse.mjs — run by scripts/lighthouse.sh (which installs lighthouse
// and copies this file beside it): Lighthouse (mobile, simulated
// throttling) on the landing page, the join page and a participant's board,
// cold and as a repeat visit, against a running server.
//
//   node lighthouse.mjs BASE_URL OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node lighthouse.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

async function api(method, p, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(base + p, { method, headers, body: body && JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

// A session as a facilitator prepares it: the Zona Integritas template and a
// dozen notes, so the participant's board has something to draw.
const s = await api('POST', '/api/sessions', { title: 'Evaluasi Pelayanan Publik 2026', template: 'zona-integritas', facilitatorName: 'Budi Santoso' });
const b = await api('GET', `/api/sessions/${s.id}/board`, undefined, s.facilitatorToken);
for (let i = 0; i < 12; i++) {
  const col = b.columns[i % b.columns.length];
  await api('POST', `/api/sessions/${s.id}/commands`, { type: 'note.add', ref: 'lh-' + i, columnId: col.id, text: `Catatan contoh nomor ${i + 1} tentang ${col.title.toLowerCase()}` }, s.facilitatorToken);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage();
const cdp = await page.createCDPSession();
const origin = new URL(base).origin;

const rows = [];
async function measure(name, url, keepStorage) {
  const flags = { output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], disableStorageReset: keepStorage };
  const r = await lighthouse(url, flags, undefined, page);
  const lhr = r.lhr;
  fs.writeFileSync(path.join(out, name + '.json'), r.report);
  const a = lhr.audits;
  const reqs = (a['network-requests'].details.items || []);
  rows.push({
    name,
    performance: Math.round(lhr.categories.performance.score * 100),
    accessibility: Math.round(lhr.categories.accessibility.score * 100),
    fcp: a['first-contentful-paint'].displayValue,
    lcp: a['largest-contentful-paint'].displayValue,
    tbt: a['total-blocking-time'].displayValue,
    cls: a['cumulative-layout-shift'].displayValue,
    kib: (reqs.reduce((n, x) => n + (x.transferSize || 0), 0) / 1024).toFixed(1),
    requests: reqs.filter((x) => (x.transferSize || 0) > 0).length,
    failed: lhr.runtimeError ? lhr.runtimeError.message : '',
  });
}

// Cold: Lighthouse clears the origin's storage, caches and service worker.
await measure('landing', base + '/', false);
await measure('join', base + '/join/' + s.joinCode, false);

// The participant joins on this browser (the token stays in localStorage).
await page.goto(base + '/join/' + s.joinCode, { waitUntil: 'load' });
await page.waitForSelector('[data-testid=join-name]');
await page.type('[data-testid=join-name]', 'Sari Dewi');
await page.click('[data-testid=join-submit]');
await page.waitForSelector('[data-testid=board]');
const boardURL = page.url();

// The board on a first visit: no HTTP cache, no service worker, but the
// token kept — what a participant's phone loads right after joining.
await cdp.send('Network.clearBrowserCache');
await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
await measure('board-first', boardURL, true);

// A repeat visit: the service worker and the HTTP cache hold the shell.
await page.goto(boardURL, { waitUntil: 'load' });
await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, { timeout: 20000 });
await measure('board-repeat', boardURL, true);

await browser.close();
console.table(rows);
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(rows, null, 2));
