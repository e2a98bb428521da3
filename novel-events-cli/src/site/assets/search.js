// The search box of every page of a site written by `novel-events docs`.
// Typing filters the event rows of the index page (rows with a data-search attribute) and, on
// the other pages, lists the matching events under the box. Enter opens the first match,
// Escape clears the box. The index is window.NOVEL_EVENTS_SEARCH, set by search-index.js.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  if (!input || !results) {
    return;
  }
  var index = window.NOVEL_EVENTS_SEARCH || [];
  var root = document.body.getAttribute("data-root") || "";
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.domain"));

  function matching(query) {
    return index.filter(function (entry) {
      var text = (entry.name + " " + entry.eventType + " " + entry.domain).toLowerCase();
      return text.indexOf(query) !== -1;
    });
  }

  function item(text, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    results.appendChild(li);
  }

  function update() {
    var query = input.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var hide = query !== "" && row.getAttribute("data-search").indexOf(query) === -1;
      row.hidden = hide;
      if (!hide) {
        shown += 1;
      }
    });
    sections.forEach(function (section) {
      section.hidden = query !== "" && !section.querySelector("[data-search]:not([hidden])");
    });
    results.textContent = "";
    if (query === "") {
      results.hidden = true;
      return;
    }
    if (rows.length > 0) {
      // The index page filters in place; it only says when nothing is left.
      if (shown === 0) {
        item("No event matches \u201c" + input.value.trim() + "\u201d");
      }
      results.hidden = shown !== 0;
      return;
    }
    var found = matching(query);
    found.slice(0, 20).forEach(function (entry) {
      item(entry.name + " (" + entry.eventType + " " + entry.version + ")", root + entry.url);
    });
    if (found.length === 0) {
      item("No event matches \u201c" + input.value.trim() + "\u201d");
    }
    results.hidden = false;
  }

  input.addEventListener("input", update);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = matching(input.value.trim().toLowerCase())[0];
      if (first && input.value.trim() !== "") {
        window.location.href = root + first.url;
      }
    } else if (event.key === "Escape") {
      input.value = "";
      update();
    }
  });
  update();
})();
