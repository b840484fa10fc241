// icevidence: progressive enhancement of the tables a report marks as interactive.
// Runs inside the page's one module script, after the DataTables library bundled by itables
// (`library` holds its exports). It reads only the page's own HTML: no data lives in a script,
// nothing is fetched, and values stay the text nodes the report rendered (never re-parsed as HTML).
const DataTable = library.default;
DataTable.ext.errMode = "none";

// A table DataTables can handle: one header row, and every body row with one cell per column.
function rectangular(table) {
  const head = table.tHead;
  if (!head || head.rows.length !== 1 || table.tBodies.length !== 1) return false;
  const width = head.rows[0].cells.length;
  return [...table.tBodies[0].rows].every(
    (row) => row.cells.length === width && [...row.cells].every((cell) => cell.colSpan === 1 && cell.rowSpan === 1));
}

// Search box, sortable headers and a filter per column, for every marked table; all rows stay shown.
function enhanceTables() {
  for (const table of document.querySelectorAll("table.icevidence-interactive")) {
    if (!rectangular(table)) continue;
    table.dataset.icevidenceReady = "true";
    new DataTable(table, {
      paging: false, order: [], autoWidth: false, info: true,
      columnControl: ["order", ["search"]],
      ordering: { indicators: false, handler: true },
      language: { search: "Search this table:", info: "_TOTAL_ rows", infoFiltered: "(of _MAX_)" },
    });
  }
}

// A box above a list of quotes that hides the items (and headings left empty) not matching what is typed.
function enhanceLists() {
  for (const [number, block] of [...document.querySelectorAll(".icevidence-filterable")].entries()) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "search";
    box.id = `icevidence-filter-${number}`;
    label.htmlFor = box.id;
    label.textContent = "Filter these quotes: ";
    label.className = "icevidence-filter";
    label.append(box);
    block.before(label);
    box.addEventListener("input", () => filterList(block, box.value));
  }
}

// Hide the quotes (list items) whose text, with their section's heading, lacks a typed word;
// then hide what holds no quote left, and headings whose section shows nothing.
function filterList(block, query) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  let heading = null;
  let sections = [];
  for (const child of block.children) {
    if (/^H[1-6]$/.test(child.tagName)) {
      heading = child;
      sections.push({ heading, parts: [] });
      continue;
    }
    const items = [...child.querySelectorAll("li")];
    const context = heading ? heading.textContent + " " : "";
    for (const item of items) {
      const text = (context + item.textContent).toLowerCase();
      item.hidden = !terms.every((term) => text.includes(term));
    }
    child.hidden = items.length > 0 && items.every((item) => item.hidden);
    if (sections.length) sections[sections.length - 1].parts.push(child);
  }
  for (const { heading, parts } of sections) heading.hidden = parts.length > 0 && parts.every((part) => part.hidden);
}

enhanceTables();
enhanceLists();
