// offline.js — registers the service worker (/sw.js) that keeps the page's
// shell, so a reload without a network still opens the board and its
// waiting notes (the outbox is in localStorage). Only the bundled build
// imports this module; running the sources (-dev) has no worker.
if ('serviceWorker' in navigator) {
  // After load: the worker's copies must not compete with the first visit.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* the page works without it */ });
  });
}
