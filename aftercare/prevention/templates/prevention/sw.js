/* Aftercare field capture: the service worker that keeps the capture page and its files on
   the phone, so the page opens without signal. Served by Django from /prevention/sw.js (scope
   /prevention/); version {{ version }} changes whenever one of the files does. */
"use strict";
const CACHE = "aftercare-capture-{{ version }}";
const PAGE = "{{ page|escapejs }}";
const FILES = {{ files|safe }};
const NETWORK_ONLY = {{ network_only|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES);
    const page = await fetch(PAGE, {credentials: "same-origin", cache: "no-store"});
    if (page.ok && !page.redirected) {
      await cache.put(PAGE, page);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("aftercare-capture-") && name !== CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.includes(url.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname === PAGE) {
      event.respondWith(pageFromNetworkFirst(request));
    }
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(fileFromCacheFirst(event, request));
  }
});

// The page: the network's copy when there is one (and keep it), else the kept copy.
async function pageFromNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(PAGE, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(PAGE, {ignoreSearch: true, ignoreVary: true});
    if (kept) {
      return kept;
    }
    throw error;
  }
}

// Styles, scripts and icons: the kept copy at once, refreshed in the background.
async function fileFromCacheFirst(event, request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, {ignoreSearch: true, ignoreVary: true});
  const refresh = fetch(request).then((response) => {
    if (response.ok) {
      return cache.put(request, response.clone()).then(() => response);
    }
    return response;
  });
  if (kept) {
    event.waitUntil(refresh.catch(() => undefined));
    return kept;
  }
  return refresh;
}
