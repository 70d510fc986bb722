{% load static %}// The logbook's service worker (scope /training/): the new-entry form opens with no connection.
// Network first, always; the copy kept here is used only when the network fails. Entries written
// offline are kept and sent by static/js/logbook_offline.js, not here.
"use strict";
var CACHE = "nd-logbook-{{ version }}";
var PAGE = "{% url 'training:new' %}";
var STATIC = {{ static_files|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(STATIC).then(function () {
        // Only a trainee's form is kept (anyone else is refused it): a refusal is not cached.
        return fetch(PAGE, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(PAGE, response); }
        }).catch(function () {});
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("nd-logbook-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function kept(url) {
  return url.origin === self.location.origin && (url.pathname === PAGE || STATIC.indexOf(url.pathname) !== -1);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || !kept(url)) { return; }
  var key = url.pathname === PAGE ? PAGE : url.pathname;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(key).then(function (found) { return found || Response.error(); });
      });
    })
  );
});
