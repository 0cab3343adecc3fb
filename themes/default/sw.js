// Sabaq's service worker, at the root of a built site, so a learner can read offline what they
// opened before (or saved with "Save this module for offline"), quizzes and progress included.
// The network always comes first: online, pages are exactly what the server has, and each answer
// is kept for later; offline (the fetch fails), the kept copy is used, and a page never kept gets
// the site's offline page. Nothing here talks to any other host.
'use strict';

var CACHE = 'sabaq:' + self.registration.scope;
// The pages every offline visit may need, fetched when the worker installs.
var SHELL = ['offline/index.html', 'assets/sabaq.css', 'assets/sabaq-offline.js'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.map(function (path) { return new URL(path, self.registration.scope); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

function isPage(request) {
  return request.mode === 'navigate' || (request.headers.get('Accept') || '').indexOf('text/html') >= 0;
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Outside the site, and `sabaq serve`'s own reload requests, go to the network untouched.
  if (!request.url.startsWith(self.registration.scope) || url.pathname.indexOf('/__sabaq/') >= 0) return;
  event.respondWith(fetch(request).then(function (response) {
    // Whole answers only: not a range (206) or a redirect's end, which a page cannot be
    // answered with later.
    if (response.status === 200 && response.type === 'basic' && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(stripQuery(request), copy); });
    }
    return response;
  }, function (failure) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(stripQuery(request)).then(function (kept) {
        if (kept) return kept;
        // The offline page by its own address, so its relative links work (and not the
        // offline page to itself, were it ever missing).
        var offline = new URL('offline/index.html', self.registration.scope).href;
        if (isPage(request) && request.url.split('?')[0] !== offline) return Response.redirect(offline, 302);
        throw failure;
      });
    });
  }));
});

// A page is kept once, whatever its query (a search page opened with ?q=).
function stripQuery(request) {
  var url = new URL(request.url);
  if (!url.search || !isPage(request)) return request;
  url.search = '';
  return url.href;
}
