// Progressive enhancement only: every page works without this file.
"use strict";

// The filter form shows the view's real state: the values in the address, also after the back
// button (the browser restores the fields it last had, which may belong to a later view).
function syncFilters(form) {
  const params = new URLSearchParams(window.location.search);
  for (const field of form.elements) {
    if (!field.name || field.type === "hidden" || field.type === "submit") continue;
    const values = params.getAll(field.name).flatMap((v) => v.split(",")).map((v) => v.trim())
      .filter(Boolean);
    if (field.tagName === "SELECT") {
      const joined = values.join(",");
      let option = Array.from(field.options).find((o) => o.value === joined);
      if (!option && joined) {  // several values: one choice that names them all
        const names = values.map((v) => (Array.from(field.options).find((o) => o.value === v) || {}).text || v);
        option = new Option(names.join(", "), joined);
        field.add(option, 1);
      }
      field.value = joined;
    } else if (field.name === "period") {
      // As the page writes it for its reader: the links say last-month, a German field letzter-monat.
      const words = JSON.parse(form.dataset.periodWords || "{}");
      const period = params.get("period") || form.dataset.defaultPeriod || "";
      field.value = words[period] || (words["last-N-days"] ? period.replace(/^last-(\d+)-days?$/, words["last-N-days"]) : period);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  // A select chosen with the mouse or a finger applies at once; with the keyboard it never does
  // (arrow keys step through the options: WCAG 3.2.2), and Apply submits.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    let pointer = false;
    select.addEventListener("pointerdown", () => { pointer = true; });
    select.addEventListener("keydown", () => { pointer = false; });
    select.addEventListener("change", () => {
      if (pointer) select.form.requestSubmit();
      pointer = false;
    });
  }
  // On a phone the fields past the period filled the whole first screen (11 on the dashboard):
  // they fold behind "More filters", which says how many are set. Only CSS for narrow screens
  // shows the button and hides the folded fields, so a wider window or a turned phone shows all.
  for (const form of document.querySelectorAll("form.filters")) {
    const toggle = form.querySelector("button.more-toggle");
    if (!toggle || form.querySelectorAll(".field:not(.period)").length < 3) continue;
    const fold = (folded) => {
      form.classList.toggle("folded", folded);
      toggle.setAttribute("aria-expanded", String(!folded));
      toggle.textContent = folded ? toggle.dataset.more : toggle.dataset.fewer;
    };
    form.classList.add("foldable");
    fold(true);
    toggle.addEventListener("click", () => fold(!form.classList.contains("folded")));
  }
  // Show the chosen files' names in the drop zone, and highlight it while something is dragged over.
  for (const zone of document.querySelectorAll("label.drop")) {
    const input = zone.querySelector("input[type=file]");
    const caption = zone.querySelector("span");
    const show = () => {
      if (input.files.length) caption.textContent = Array.from(input.files, (f) => f.name).join(", ");
    };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      input.files = event.dataTransfer.files;
      show();
    });
  }
  // Leaderboard and other tables marked sortable: a click on a column's button sorts by it.
  for (const table of document.querySelectorAll("table[data-sortable]")) {
    for (const button of table.querySelectorAll("thead button[data-sort]")) {
      button.addEventListener("click", () => sortTable(table, button));
    }
  }
});

window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form.filters[data-default-period]")) syncFilters(form);
});

function sortTable(table, button) {
  const th = button.closest("th");
  const index = Array.from(th.parentElement.children).indexOf(th);
  const descending = th.getAttribute("aria-sort") !== "descending";
  for (const other of table.querySelectorAll("thead th[aria-sort]")) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows).filter((r) => r.cells.length > index);
  const key = (row) => {
    const cell = row.cells[index];
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : (cell.dataset.value || "");
    const number = parseFloat(raw);
    return Number.isNaN(number) ? raw.toLowerCase() : number;
  };
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const empty = (v) => v === "" ;
    if (empty(x) !== empty(y)) return empty(x) ? 1 : -1;  // no figure: last either way
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return descending ? -order : order;
  });
  for (const row of rows) body.appendChild(row);
}
