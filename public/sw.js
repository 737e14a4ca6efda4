// Kinetic's service worker: the last glance the owner opened stays readable offline, nothing else.
//
// - Navigations go to the network first. A successful `/vehicles/<id>` page (the glance) is kept as
//   THE last glance (one entry, replaced every time), with the static assets its HTML names. With
//   no network, any navigation gets that page back, marked `data-offline` so it shows the
//   "offline — showing the last known data from …" banner (components/pwa/offline-banner.tsx).
// - Never cached: /api/* (personal data beyond the glance page itself), /login and every other
//   page, anything but GET. Reaching /login (signed out, session over, account deleted) forgets the
//   last glance, so a shared phone does not keep showing it.
// - The cache is named after the build (`/sw.js?v=<build id>`): a new deploy registers a new
//   script URL, and its activation deletes every older Kinetic cache.

const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const PREFIX = 'kinetic-';
const CACHE = `${PREFIX}${VERSION}`;
const LAST_GLANCE = '/__kinetic/last-glance';
const GLANCE_PATH = /^\/vehicles\/[^/]+\/?$/;
const STATIC_ASSET = /^\/(_next\/static\/|fonts\/|icons\/|icon\.svg$)/;
const ASSET_IN_HTML = /(?:src|href)="(\/(?:_next\/static|fonts)\/[^"?#]+)"/g;

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

async function forgetLastGlance() {
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  await Promise.all(keys.map((request) => cache.delete(request)));
}

/** Keeps this glance page and exactly the static assets it names (dropping the previous ones). */
async function keepGlance(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = new Set([...html.matchAll(ASSET_IN_HTML)].map((match) => match[1]));
  const stale = (await cache.keys()).filter((request) => {
    const path = new URL(request.url).pathname;
    return path !== LAST_GLANCE && !assets.has(path);
  });
  await Promise.all(stale.map((request) => cache.delete(request)));
  const missing = [];
  for (const path of assets) if (!(await cache.match(path))) missing.push(path);
  // An asset that fails to load is skipped rather than failing the whole page's caching.
  await Promise.all(missing.map((path) => cache.add(path).catch(() => undefined)));
  await cache.put(LAST_GLANCE, response);
}

async function lastGlanceOffline() {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(LAST_GLANCE);
  if (!cached) return null;
  const html = await cached.text();
  // The page's own root layout sets suppressHydrationWarning on <html>, so this mark is harmless.
  const marked = html.replace('<html', '<html data-offline="1"');
  return new Response(marked, { status: 200, headers: cached.headers });
}

async function navigate(event) {
  const url = new URL(event.request.url);
  try {
    const response = await fetch(event.request);
    const isHtml = (response.headers.get('content-type') || '').includes('text/html');
    if (url.pathname === '/login') {
      event.waitUntil(forgetLastGlance());
    } else if (GLANCE_PATH.test(url.pathname) && response.ok && !response.redirected && isHtml) {
      event.waitUntil(keepGlance(response.clone()));
    }
    return response;
  } catch (error) {
    const offline = await lastGlanceOffline();
    if (offline) return offline;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
    return;
  }
  if (STATIC_ASSET.test(url.pathname)) {
    // Hashed, immutable files: the cached copy when there is one (only the glance's are), else
    // the network as usual. Never written here: only keepGlance decides what stays.
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(request, { ignoreSearch: true }))
        .then((cached) => cached || fetch(request)),
    );
  }
});
