// icevidence: full-text search across every report, on the index page, offline.
// The index is the page's own hidden list (#icevidence-search-index: one item per report section,
// written by `icevidence build`); results are built as elements holding text, never parsed HTML.
const MAX_RESULTS = 50;
const CONTEXT = 90;

function readIndex() {
  return [...document.querySelectorAll("#icevidence-search-index > li")].map((item) => ({
    href: item.dataset.href,
    report: item.querySelector("b").textContent,
    section: item.querySelector("i").textContent,
    text: item.querySelector("span").textContent,
  })).map((entry) => ({ ...entry, haystack: `${entry.report} ${entry.section} ${entry.text}`.toLowerCase() }));
}

// The words of a query; an entry matches when it holds every one of them.
function termsOf(query) {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

// A window of text around the first match of the first term.
function snippet(text, term) {
  const at = text.toLowerCase().indexOf(term);
  const start = Math.max(0, at - CONTEXT);
  const end = Math.min(text.length, (at < 0 ? 0 : at) + term.length + CONTEXT);
  return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
}

function resultItem(entry, term) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = entry.href;
  link.textContent = `${entry.report} — ${entry.section}`;
  const context = document.createElement("div");
  context.className = "icevidence-snippet";
  context.textContent = snippet(entry.text, term);
  item.append(link, context);
  return item;
}

function search(index, query, list, status) {
  const terms = termsOf(query);
  list.replaceChildren();
  if (!terms.length) {
    status.textContent = "";
    return;
  }
  const found = index.filter((entry) => terms.every((term) => entry.haystack.includes(term)));
  status.textContent = `${found.length} section${found.length === 1 ? "" : "s"} found` +
    (found.length > MAX_RESULTS ? `; the first ${MAX_RESULTS} are listed` : "");
  list.append(...found.slice(0, MAX_RESULTS).map((entry) => resultItem(entry, terms[0])));
}

function startSearch() {
  const box = document.getElementById("icevidence-search-box");
  const list = document.getElementById("icevidence-search-results");
  const status = document.getElementById("icevidence-search-status");
  if (!box || !list || !status) return;
  const index = readIndex();
  box.disabled = false;
  box.addEventListener("input", () => search(index, box.value, list, status));
  if (box.value) search(index, box.value, list, status);
}

startSearch();
