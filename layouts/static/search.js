// Search page: runs Pagefind's index (site/pagefind/ and its parts) in the browser. No other host is asked.
// Opened from disk (file://) the browser cannot load the index, so the page says so instead.
(function () {
  "use strict";
  var form = document.querySelector("form.search-page");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  input.value = query;

  if (window.location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
    li.appendChild(heading);
    li.appendChild(excerpt);
    return li;
  }

  async function run() {
    if (!query) return;
    status.textContent = "Suche läuft …";
    try {
      var bundle = new URL(form.dataset.pagefind, window.location.href);
      var pagefind = await import(bundle.href);
      var home = new URL(form.dataset.root, window.location.href);
      var options = { baseUrl: new URL(".", home).pathname }; // works under a subpath
      await pagefind.options(options);
      // A large dossier is indexed in parts (site/pagefind/teil-N/): one search runs over all of them.
      var listing = await fetch(new URL("teile.json", bundle)).then(function (r) {
        return r.ok ? r.json() : { teile: [] };
      });
      for (var i = 0; i < listing.teile.length; i++) {
        await pagefind.mergeIndex(new URL(listing.teile[i], bundle).href, options);
      }
      var search = await pagefind.search(query);
      var results = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      list.replaceChildren.apply(list, results.map(item));
      status.textContent = results.length === 0
        ? "Keine Treffer für „" + query + "“."
        : results.length + " Treffer für „" + query + "“.";
    } catch (error) {
      status.textContent = "Die Suche konnte nicht geladen werden (" + error.message + ").";
    }
  }
  run();
})();
