/* The comparison table: filter, sort and render estimate rows; mark the cheapest that fits.
 * Which columns there are, and how each sorts and shows, comes from the estimate response's
 * `columns` (declared once, on the server): {name, label, kind, shows}. */
import { el, formatUsd, formatInt, compareDecimal } from "./format.js";

const NUMERIC_KINDS = ["tokens", "count", "id"];

function hasNumber(column) {
  return column.kind === "money" || NUMERIC_KINDS.includes(column.kind);
}

/** "Llama 4 Scout (Groq)" already names its host; other names get the provider added. */
export function label(row) {
  return row.name.includes(row.provider_name) ? row.name : `${row.name} (${row.provider_name})`;
}

export function rowKey(row) {
  return `${row.provider}/${row.model}`;
}

/** Rows passing the filters: provider slug, tier, fits-only, and a search over names. */
export function filterRows(rows, filters) {
  const words = (filters.search || "").toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filters.provider && row.provider !== filters.provider) return false;
    if (filters.tier && row.tier !== filters.tier) return false;
    if (filters.fitsOnly && row.fits_context !== true) return false;
    const haystack = [row.provider, row.provider_name, row.model, row.name, row.tokenizer_name]
      .join(" ")
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

function compareBy(column) {
  const key = column.name;
  if (column.kind === "money") return (a, b) => compareDecimal(a[key], b[key]);
  if (NUMERIC_KINDS.includes(column.kind)) return (a, b) => nullsLast(a[key], b[key], (x, y) => x - y);
  if (column.kind === "flag") {
    const rank = (v) => (v === true ? 0 : v === false ? 1 : 2);
    return (a, b) => rank(a[key]) - rank(b[key]);
  }
  const field = column.shows || key;
  return (a, b) => String(a[field] || "").localeCompare(String(b[field] || ""));
}

function nullsLast(x, y, compare) {
  if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
  if (y === null || y === undefined) return -1;
  return compare(x, y);
}

/** Sorted copy; descending flips the order but keeps rows without a value at the end. */
export function sortRows(rows, sort, columns) {
  const column = columns.find((c) => c.name === sort.key) || { name: sort.key, kind: "text" };
  const compare = compareBy(column);
  const missing = (row) => (hasNumber(column) ? row[sort.key] == null : false);
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const gap = Number(missing(a.row)) - Number(missing(b.row));
      if (gap) return gap;
      const order = compare(a.row, b.row) * (sort.descending ? -1 : 1);
      return order || a.index - b.index;
    })
    .map((item) => item.row);
}

/** The model's public page; `#v<id>` is its price version's row there. */
function modelUrl(row, version) {
  const path = `/models/${encodeURIComponent(row.provider)}/${row.model.split("/").map(encodeURIComponent).join("/")}`;
  return version ? `${path}#v${version}` : path;
}

function moneyCell(row, key) {
  const td = el("td", "num");
  td.dataset.col = key;
  if (row[key] === null || row[key] === undefined) {
    td.textContent = formatUsd(row[key]);
    return td;
  }
  td.dataset.usd = row[key];
  // Each cost links to the price version that produced it.
  const link = el("a", "money", formatUsd(row[key]));
  link.href = modelUrl(row, row.price_version);
  link.title = `Exactly $${row[key]}; price version ${row.price_version}`;
  td.append(link);
  return td;
}

function pinButton(row, pinned) {
  const button = el("button", "pin", pinned ? "★" : "☆");
  button.type = "button";
  button.dataset.pin = rowKey(row);
  button.setAttribute("aria-pressed", String(pinned));
  button.setAttribute("aria-label", `Pin ${label(row)} to the answer`);
  return button;
}

function modelCell(row, isCheapest, pinned) {
  const td = el("td", "model sticky");
  td.dataset.col = "name";
  const name = el("a", "model-name", row.name);
  name.href = modelUrl(row);
  name.title = `${row.provider}/${row.model}: its page and price history`;
  td.append(pinButton(row, pinned), " ", name);
  if (isCheapest) td.append(el("span", "badge badge-best", "cheapest that fits"));
  if (row.status && row.status !== "active") td.append(el("span", `badge status-${row.status}`, row.status));
  if (row.tier) td.append(el("span", "cell-detail", row.tier));
  if (!row.available && row.note) td.append(el("p", "row-note", row.note));
  // A model with no price known at the chosen date: the row says since when it has one.
  if (row.price_note) td.append(el("p", "row-note", row.price_note));
  return td;
}

function tokenizerCell(row) {
  const td = el("td", "tokenizer");
  td.dataset.col = "tokenizer";
  td.dataset.exact = String(row.exact);
  // "(estimate)" in a name is said by the ≈ mark instead, which keeps the column narrow.
  td.append(el("span", null, row.exact ? row.tokenizer_name : row.tokenizer_name.replace(/\s*\(estimate\)$/, "")));
  if (row.exact) {
    td.append(el("span", "badge badge-exact", "exact"));
  } else {
    const mark = el("abbr", "approx", "≈");
    mark.title = `Estimate: ${row.note || "this provider's tokenizer is not public."}`;
    mark.tabIndex = 0;
    mark.setAttribute("aria-label", mark.title);
    td.append(" ", mark);
  }
  return td;
}

const LIFETIMES = { "5m": "5 min", "1h": "1 h" };

function inputTokensCell(row) {
  const td = el("td", "num", formatInt(row.input_tokens));
  td.dataset.col = "input_tokens";
  if (row.input_tokens !== null) td.dataset.value = String(row.input_tokens);
  const details = [];
  if (row.chat_overhead_tokens) details.push(`incl. ${formatInt(row.chat_overhead_tokens)} chat framing`);
  if (row.image_tokens) details.push(`incl. ${formatInt(row.image_tokens)} image`);
  // A conversation's images with no published rule for this model are left out: say so.
  if (row.image_rule && row.image_tokens === null) details.push("images not counted");
  if (row.cached_input_tokens) details.push(`${formatInt(row.cached_input_tokens)} from cache`);
  if (row.cache_write_tokens) {
    details.push(`${formatInt(row.cache_write_tokens)} written to cache (${LIFETIMES[row.cache_write_lifetime]}, assumed)`);
  }
  if (details.length) td.append(el("span", "cell-detail", details.join(", ")));
  return td;
}

function outputTokensCell(row) {
  const td = numberCell(row, "output_tokens");
  // Hidden reasoning is an assumption the user made, billed as output: the row says so.
  if (row.reasoning_tokens) td.append(el("span", "cell-detail", `+ ${formatInt(row.reasoning_tokens)} reasoning (assumed)`));
  return td;
}

function fitsCell(row) {
  const labels = { true: ["fits", "fits"], false: ["too long", "too-long"], null: ["unknown", "unknown"] };
  const [text, cls] = labels[String(row.fits_context)] || labels.null;
  const td = el("td", `fits fits-${cls}`);
  td.dataset.col = "fits_context";
  td.append(el("span", "fits-mark", row.fits_context === true ? "✓ " : row.fits_context === false ? "✗ " : ""), text);
  return td;
}

function totalCell(row) {
  const td = moneyCell(row, "total_usd");
  if (row.tier_applied) td.append(el("span", "cell-detail", `long-context rate (> ${formatInt(row.tier_applied)})`));
  if (row.batch_applied) td.append(el("span", "cell-detail", "batch price"));
  else if (row.service_tier && row.service_tier !== "standard") td.append(el("span", "cell-detail", `${row.service_tier} price`));
  return td;
}

function numberCell(row, key) {
  const td = el("td", "num", formatInt(row[key]));
  td.dataset.col = key;
  if (row[key] !== null && row[key] !== undefined) td.dataset.value = String(row[key]);
  return td;
}

function textCell(row, column) {
  const td = el("td", null, row[column.shows || column.name]);
  td.dataset.col = column.name;
  return td;
}

// Columns whose cells say more than their value; the rest are drawn by their kind.
const CELLS = { name: modelCell, tokenizer: tokenizerCell, input_tokens: inputTokensCell, output_tokens: outputTokensCell, total_usd: totalCell, fits_context: fitsCell };

function cell(row, column, isCheapest, pinned) {
  const special = CELLS[column.name];
  if (special) return special(row, isCheapest, pinned);
  if (column.kind === "money") return moneyCell(row, column.name);
  if (NUMERIC_KINDS.includes(column.kind)) return numberCell(row, column.name);
  return textCell(row, column);
}

function renderRow(row, isCheapest, columns, pinned) {
  const tr = el("tr");
  tr.dataset.key = rowKey(row);
  if (isCheapest) tr.classList.add("cheapest");
  if (!row.available) tr.classList.add("unavailable");
  tr.append(...columns.map((column) => cell(row, column, isCheapest, pinned)));
  return tr;
}

/** Replace the table body; returns the rows shown, in order. */
export function renderTable(tbody, { rows, columns, cheapest, filters, sort, pins = [] }) {
  const shown = sortRows(filterRows(rows, filters), sort, columns);
  const fragment = document.createDocumentFragment();
  for (const row of shown) {
    const key = rowKey(row);
    fragment.append(renderRow(row, key === cheapest, columns, pins.includes(key)));
  }
  if (!shown.length) {
    const td = el("td", "placeholder", rows.length ? "No model matches the filters." : "No model has a price in force on that date.");
    td.colSpan = columns.length;
    const tr = el("tr", "placeholder");
    tr.append(td);
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
  return shown;
}

/** Wire the header buttons: click (or Enter/Space, being buttons) sorts; aria-sort follows. */
export function bindSorting(table, sort, onChange) {
  const headers = table.querySelectorAll("th[data-sort]");
  function reflect() {
    for (const th of headers) {
      const active = th.dataset.sort === sort.key;
      th.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
    }
  }
  for (const th of headers) {
    th.querySelector("button").addEventListener("click", () => {
      if (sort.key === th.dataset.sort) sort.descending = !sort.descending;
      else Object.assign(sort, { key: th.dataset.sort, descending: false });
      reflect();
      onChange();
    });
  }
  reflect();
  return reflect;
}

