// Sabaq's course search, loaded only by a course's search page. It fetches the index the build
// wrote beside the page (index.json, then only the shards a query's words need and the
// sections files that describe the results) and lists the matching lesson sections. Its word
// folding must agree with generator/src/search.rs letter for letter. Without fetch or Unicode
// regular expressions (before 2018), or opened from files, it leaves the page's own message.
(function () {
  'use strict';
  var form = document.querySelector('form.search');
  var wordPattern, markPattern;
  try {
    wordPattern = new RegExp('[\\p{Alphabetic}\\p{N}]+', 'gu');
    markPattern = new RegExp('\\p{M}', 'gu');
  } catch (e) {
    return;
  }
  if (!form || !window.fetch || !''.normalize || location.protocol === 'file:') return;
  var input = form.querySelector('input[type=search]');
  var status = document.querySelector('.search-status');
  var list = document.querySelector('.search-results');
  var MAX_RESULTS = 30;
  var manifest = null;
  var fetched = {};

  function fold(text) {
    var out = '';
    var chars = Array.from(text.normalize('NFKD').replace(markPattern, ''));
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i].codePointAt(0);
      if (c === 0x64a || c === 0x649) out += '\u06cc';
      else if (c === 0x643) out += '\u06a9';
      else if (c === 0x647) out += '\u06c1';
      else if (c >= 0x660 && c <= 0x669) out += String(c - 0x660);
      else if (c >= 0x6f0 && c <= 0x6f9) out += String(c - 0x6f0);
      else out += chars[i].toLowerCase().replace(/\u03c2/g, '\u03c3');
    }
    return out.replace(/(\d)[,\u066c](?=\d)/g, '$1');
  }

  function words(text) {
    return fold(text).match(wordPattern) || [];
  }

  function say(key, values) {
    var text = form.getAttribute('data-t-' + key) || '';
    Object.keys(values || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(values[name]);
    });
    status.textContent = text;
  }

  // `<name>.json` beside the page, fetched once (again after a failure).
  function getJson(name) {
    if (!fetched[name]) {
      fetched[name] = fetch(name + '.json', { credentials: 'same-origin' }).then(function (response) {
        if (!response.ok) throw new Error(name + ': ' + response.status);
        return response.json();
      });
      fetched[name].catch(function () { delete fetched[name]; });
    }
    return fetched[name];
  }

  function loadManifest() {
    if (!manifest) {
      manifest = getJson('index').then(function (index) {
        index.keys = index.shards.map(function (file) {
          return file.split('-').map(function (hex) {
            return String.fromCodePoint(parseInt(hex, 16));
          }).join('');
        });
        index.common = new Set(index.common);
        return index;
      });
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  // The sections that hold a word starting with `term`, each with its best score (a whole-word
  // match counts double).
  function matches(index, term) {
    var wanted = [];
    index.keys.forEach(function (key, i) {
      if (term.indexOf(key) === 0 || (term.length > 1 && key.indexOf(term) === 0)) wanted.push(i);
    });
    return Promise.all(wanted.map(function (i) { return getJson(index.shards[i]); })).then(function (loaded) {
      var found = new Map();
      loaded.forEach(function (shard) {
        Object.keys(shard).forEach(function (word) {
          if (word.indexOf(term) !== 0 || (word !== term && term.length < 2)) return;
          var postings = shard[word];
          var section = 0;
          for (var p = 0; p < postings.length; p += 2) {
            section += postings[p];
            var score = postings[p + 1] * (word === term ? 2 : 1);
            if (!(found.get(section) >= score)) found.set(section, score);
          }
        });
      });
      return found;
    });
  }

  // Sections matching every word of the query, best first.
  function search(index, query) {
    // As the index: one-letter words only when they are digits; common words never.
    var terms = Array.from(new Set(words(query))).filter(function (term) {
      return (Array.from(term).length > 1 || /^\d$/.test(term)) && !index.common.has(term);
    });
    if (!terms.length) return Promise.resolve(null);
    return Promise.all(terms.map(function (term) { return matches(index, term); })).then(function (found) {
      var results = [];
      found[0].forEach(function (score, section) {
        for (var t = 1; t < found.length; t++) {
          if (!found[t].has(section)) return;
          score += found[t].get(section);
        }
        results.push([section, score]);
      });
      return results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    });
  }

  // How to show each of `found` (section numbers): from the sections files that hold them.
  function describe(index, found) {
    var files = Array.from(new Set(found.map(function (n) { return Math.floor(n / index.per_file); })));
    return Promise.all(files.map(function (file) { return getJson('sections-' + file); })).then(function (loaded) {
      return found.map(function (n) {
        return loaded[files.indexOf(Math.floor(n / index.per_file))][n % index.per_file];
      });
    });
  }

  function show(results, sections, query) {
    list.textContent = '';
    list.setAttribute('data-query', query);
    if (results === null) {
      say('empty');
      return;
    }
    if (!results.length) {
      say('none', { query: query });
      return;
    }
    say('count', { count: results.length });
    sections.forEach(function (section) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = section[0];
      link.textContent = section[1];
      item.appendChild(link);
      if (section[2]) item.appendChild(document.createTextNode(' › ' + section[2]));
      var module = document.createElement('span');
      module.className = 'meta';
      module.textContent = section[3];
      item.appendChild(document.createTextNode(' '));
      item.appendChild(module);
      list.appendChild(item);
    });
  }

  var latest = 0;
  function run() {
    var query = input.value;
    var ticket = ++latest;
    if (!query.trim()) {
      list.textContent = '';
      list.removeAttribute('data-query');
      status.textContent = '';
      return;
    }
    say('loading');
    loadManifest().then(function (index) {
      return search(index, query).then(function (results) {
        var top = (results || []).slice(0, MAX_RESULTS).map(function (result) { return result[0]; });
        return describe(index, top).then(function (sections) {
          if (ticket === latest) show(results, sections, query);
        });
      });
    }).catch(function () {
      if (ticket !== latest) return;
      list.textContent = '';
      list.setAttribute('data-query', query);
      say('failed');
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    if (history.replaceState) {
      history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    }
    run();
  });
  form.hidden = false;
  var note = document.querySelector('.search-nojs');
  if (note) note.hidden = true;
  var asked = new URLSearchParams(location.search).get('q');
  if (asked) {
    input.value = asked;
    run();
  }
})();
