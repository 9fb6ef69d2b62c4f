// sw.js — the service worker: keeps the app shell (the page and its
// fingerprinted script, stylesheet and language chunks) so that a reload
// while offline shows the board and the notes waiting in the outbox,
// instead of the browser's error page. The server fills VERSION and SHELL
// at start; each release gets its own cache and drops the older ones.
const VERSION = '__VERSION__';
const SHELL = ['__SHELL__'];
const CACHE = 'rembuk-shell-' + VERSION;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('rembuk-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.mode === 'navigate') {
    e.respondWith(page(req));
    return;
  }
  // Fingerprinted files never change: the cache answers, else the network
  // (and the answer is kept, for a page from a newer release).
  if (url.pathname.startsWith('/assets/b/')) {
    e.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(req, copy));
      }
      return res;
    })));
  }
  // Everything else (the API, the live connection, the QR) goes to the network as usual.
});

// page: the network first, so an online visit always gets the current
// page; the kept copy when the network fails. Every route (/, /join/…,
// /s/…) is the same page, kept once under "/".
async function page(req) {
  try {
    const res = await fetch(req);
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put('/', copy));
    }
    return res;
  } catch (err) {
    const hit = await caches.match('/');
    if (hit) return hit;
    throw err;
  }
}
