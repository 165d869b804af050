// sillage report: sorts and filters the tables. Without it the report is
// complete; it never writes markup, only reorders rows and hides them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) return numeric ? 0 : "";
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    if (numeric) {
      var n = parseFloat(v);
      return isNaN(n) ? 0 : n;
    }
    return v.trim().toLocaleLowerCase();
  }

  function sortBy(table, th, col) {
    var numeric = th.getAttribute("data-sort") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    // severities and counts read best most serious first
    if (!th.hasAttribute("aria-sort") && numeric) dir = "descending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var sign = dir === "ascending" ? 1 : -1;
    // read each key once: a host has thousands of rows
    var keyed = Array.prototype.map.call(body.rows, function (r, i) {
      return { row: r, key: cellValue(r, col, numeric), pos: i };
    });
    var collator = new Intl.Collator(document.documentElement.lang, { sensitivity: "base", numeric: true });
    keyed.sort(function (a, b) {
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return c !== 0 ? sign * c : a.pos - b.pos;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.row); });
    body.appendChild(frag);
  }

  // the header cell itself is the control: a button inside it would not
  // print in the header rows Chromium repeats on every page
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      if (!th.hasAttribute("data-sort")) return;
      th.tabIndex = 0;
      th.classList.add("sort");
      th.addEventListener("click", function () { sortBy(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          sortBy(table, th, col);
        }
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".controls[data-table]"), function (box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table) return;
    var inputs = box.querySelectorAll("[data-filter]");
    var out = box.querySelector("output");
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var ok = true;
        Array.prototype.forEach.call(inputs, function (el) {
          var want = el.value.trim().toLocaleLowerCase();
          if (!ok || want === "") return;
          var key = el.getAttribute("data-filter");
          if (key === "text") {
            ok = row.textContent.toLocaleLowerCase().indexOf(want) >= 0;
          } else {
            ok = (row.getAttribute("data-" + key) || "") === want;
          }
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (out) out.textContent = String(shown);
    }
    Array.prototype.forEach.call(inputs, function (el) {
      el.addEventListener("input", apply);
      el.addEventListener("change", apply);
    });
  });
})();
