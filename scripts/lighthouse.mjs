// lighthouse.mjs — run by scripts/lighthouse.sh (which installs lighthouse
// and copies this file beside it): Lighthouse (mobile, simulated
// throttling) on the landing page, the join page and a participant's board,
// cold and as a repeat visit, against a running server.
//
//   node lighthouse.mjs BASE_URL OUT_DIR
import fs from 'node:fs';
import os from 'node:os';
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
  fs.writeFileSync(path.join(out, `${name}-${rows.filter((x) => x.name === name).length + 1}.json`), r.report);
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
    load: os.loadavg()[0].toFixed(1), // a busy host inflates TBT: Lighthouse multiplies observed CPU time
  });
}

// wire counts every byte a page load moves for this tab, as Chromium's
// network layer reports it: HTTP responses as encoded on the wire (headers
// included) and WebSocket frames both ways — which Lighthouse leaves out.
async function wire(name, steps) {
  let http = 0, ws = 0, requests = 0, worker = 0;
  const onDone = (e) => { http += e.encodedDataLength; if (e.encodedDataLength > 0) requests++; };
  const onFrame = (e) => { ws += Buffer.byteLength(e.response.payloadData || ''); };
  // The service worker fetches on its own (the page when it is network
  // first, the shell when it installs): its requests count too.
  const sessions = [];
  const onTarget = async (t) => {
    if (t.type() !== 'service_worker') return;
    const ws2 = await t.createCDPSession();
    sessions.push(ws2);
    ws2.on('Network.loadingFinished', (e) => { worker += e.encodedDataLength; if (e.encodedDataLength > 0) requests++; });
    await ws2.send('Network.enable').catch(() => {});
  };
  browser.on('targetcreated', onTarget);
  for (const t of browser.targets()) await onTarget(t);
  cdp.on('Network.loadingFinished', onDone);
  cdp.on('Network.webSocketFrameReceived', onFrame);
  cdp.on('Network.webSocketFrameSent', onFrame);
  await cdp.send('Network.enable');
  await steps();
  await page.waitForFunction(() => document.querySelector('[data-testid=conn-status]')?.dataset.status === 'connected', { timeout: 30000 });
  await new Promise((r) => setTimeout(r, 2500)); // the worker's precache and late frames
  await cdp.send('Network.disable');
  cdp.off('Network.loadingFinished', onDone);
  cdp.off('Network.webSocketFrameReceived', onFrame);
  cdp.off('Network.webSocketFrameSent', onFrame);
  browser.off('targetcreated', onTarget);
  for (const x of sessions) await x.detach().catch(() => {});
  const kib = (n) => (n / 1024).toFixed(1);
  wires.push({ name, page_http_kib: kib(http), worker_http_kib: kib(worker), websocket_kib: kib(ws), total_kib: kib(http + worker + ws), http_requests: requests });
}
const wires = [];

const runs = Number(process.env.RUNS || 3);
for (let i = 0; i < runs; i++) {
  // Cold: Lighthouse clears the origin's storage, caches and service worker.
  await measure('landing', base + '/', false);
  await measure('join', base + '/join/' + s.joinCode, false);
}

// A participant's first visit, everything on the wire: the join link with
// an empty cache, the name typed, the board until it is connected.
await cdp.send('Network.clearBrowserCache');
await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
await wire('first visit (join link → board)', async () => {
  await page.goto(base + '/join/' + s.joinCode, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=join-name]');
  await page.type('[data-testid=join-name]', 'Sari Dewi');
  await page.click('[data-testid=join-submit]');
  await page.waitForSelector('[data-testid=board]');
});
const boardURL = page.url();
await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, { timeout: 20000 });

// A repeat visit, everything on the wire: the board reloaded the next day.
await wire('repeat visit (board reload)', async () => {
  await page.goto(boardURL, { waitUntil: 'load' });
});

for (let i = 0; i < runs; i++) {
  // The board on a first visit: no HTTP cache, no service worker, but the
  // token kept — what a participant's phone loads right after joining.
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
  await page.evaluate(() => localStorage.removeItem('rembuk:board')); // no board kept from before either
  await measure('board-first', boardURL, true);
  // A repeat visit: the service worker and the HTTP cache hold the shell.
  await page.goto(boardURL, { waitUntil: 'load' });
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, { timeout: 20000 });
  await measure('board-repeat', boardURL, true);
}

await browser.close();

// The median run of each page (by performance score), as Lighthouse
// advises for scores that vary from run to run.
const byName = new Map();
for (const r of rows) byName.set(r.name, [...(byName.get(r.name) || []), r]);
const medians = [...byName.values()].map((list) => {
  const sorted = [...list].sort((a, b) => a.performance - b.performance);
  return { ...sorted[Math.floor(sorted.length / 2)], runs: list.map((x) => x.performance).join(' ') };
});
console.log('Lighthouse, mobile, simulated throttling — median of', runs, 'runs (all runs in "runs")');
console.table(medians);
console.log('Bytes on the wire (HTTP as encoded, headers included, plus WebSocket frames)');
console.table(wires);
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ runs: rows, medians, wires }, null, 2));
