// On every page: registers the site's service worker (sw.js at the site's root), runs a module
// page's "Save this module for offline" button, and lists what is saved on the offline page.
// Browsers without service workers (and pages opened from files) skip all of it.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !('serviceWorker' in navigator) || !window.caches || location.protocol === 'file:') return;
  var root = new URL('../', script.src).href;
  var cacheName = 'sabaq:' + root;
  navigator.serviceWorker.register(root + 'sw.js', { scope: root }).catch(function () {});

  function say(element, holder, key, values) {
    var text = holder.getAttribute('data-t-' + key) || '';
    Object.keys(values || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(values[name]);
    });
    element.textContent = text;
  }

  function kilobytes(bytes) {
    return Math.max(1, Math.round(bytes / 1024)) + ' KB';
  }

  var save = document.querySelector('.offline-save');
  if (save) {
    var status = document.querySelector('.offline-status');
    var urls = save.getAttribute('data-urls').split(' ').map(function (url) {
      return new URL(url, location.href).href;
    });
    caches.open(cacheName).then(function (cache) {
      return Promise.all(urls.map(function (url) { return cache.match(url); }));
    }).then(function (kept) {
      if (kept.every(Boolean)) say(status, save, 'saved-before');
    });
    save.hidden = false;
    save.addEventListener('click', function () {
      var done = 0;
      var bytes = 0;
      save.disabled = true;
      say(status, save, 'saving', { done: 0, total: urls.length });
      caches.open(cacheName).then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return fetch(url, { cache: 'no-cache' }).then(function (response) {
            if (!response.ok) throw new Error(url + ': ' + response.status);
            return response.blob().then(function (body) {
              bytes += body.size;
              // A fresh answer (one that came through a redirect cannot answer a page later),
              // with only its type: the body is decoded, so its length and encoding are gone.
              var type = response.headers.get('Content-Type');
              return cache.put(url, new Response(body, { headers: type ? { 'Content-Type': type } : {} }));
            });
          }).then(function () {
            done += 1;
            say(status, save, 'saving', { done: done, total: urls.length });
          });
        }));
      }).then(function () {
        say(status, save, 'saved', { size: kilobytes(bytes) });
      }, function () {
        say(status, save, 'failed');
      }).then(function () {
        save.disabled = false;
      });
    });
  }

  var list = document.querySelector('.offline-pages');
  if (list) {
    caches.open(cacheName).then(function (cache) {
      return cache.keys().then(function (requests) {
        var pages = requests.map(function (request) { return request.url; }).filter(function (url) {
          return /\.html$/.test(url) && url.indexOf(root + 'offline/') !== 0;
        }).sort();
        return Promise.all(pages.map(function (url) {
          return cache.match(url).then(function (response) { return response.text(); }).then(function (html) {
            return [url, new DOMParser().parseFromString(html, 'text/html').title || url];
          });
        }));
      });
    }).then(function (pages) {
      if (!pages.length) return;
      list.textContent = '';
      pages.forEach(function (page) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = page[0];
        link.textContent = page[1];
        item.appendChild(link);
        list.appendChild(item);
      });
    });
  }
})();
