/* The comparison table: filter, sort and render estimate rows; mark the cheapest that fits.
 * Which columns there are, and how each sorts and shows, comes from the estimate response's
 * `columns` (declared once, on the server): {name, label, kind, shows}. */
import { decimalKeys, el, formatMoney, formatUsd, formatInt } from "./format.js";

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

// What the search looks in, built once per row (a row object lives as long as its estimate).
const haystacks = new WeakMap();

function haystack(row) {
  let text = haystacks.get(row);
  if (text === undefined) {
    text = [row.provider, row.provider_name, row.model, row.name, row.tokenizer_name].join(" ").toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

/** Rows passing the filters: provider slug, tier, fits-only, and a search over names. */
export function filterRows(rows, filters) {
  const words = (filters.search || "").toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filters.provider && row.provider !== filters.provider) return false;
    if (filters.tier && row.tier !== filters.tier) return false;
    if (filters.fitsOnly && row.fits_context !== true) return false;
    return !words.length || words.every((word) => haystack(row).includes(word));
  });
}

const collator = new Intl.Collator();

/** One sort key per row, computed once: exact money as BigInt, numbers, flag ranks or text. */
function sortKeys(rows, column) {
  const key = column.name;
  if (column.kind === "money") return decimalKeys(rows.map((row) => row[key]));
  if (NUMERIC_KINDS.includes(column.kind)) return rows.map((row) => row[key] ?? null);
  if (column.kind === "flag") return rows.map((row) => (row[key] === true ? 0 : row[key] === false ? 1 : 2));
  const field = column.shows || key;
  return rows.map((row) => String(row[field] || ""));
}

function compareKeys(x, y) {
  if (typeof x === "string") return collator.compare(x, y);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorted copy; descending flips the order but keeps rows without a value at the end. */
export function sortRows(rows, sort, columns) {
  const column = columns.find((c) => c.name === sort.key) || { name: sort.key, kind: "text" };
  const keys = sortKeys(rows, column);
  const numeric = hasNumber(column);
  const direction = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => index)
    .sort((a, b) => {
      const gap = numeric ? Number(keys[a] === null) - Number(keys[b] === null) : 0;
      if (gap) return gap;
      if (numeric && keys[a] === null) return a - b;
      return compareKeys(keys[a], keys[b]) * direction || a - b;
    })
    .map((index) => rows[index]);
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
  if (row.missing_upstream_since) {
    const missing = el("span", "badge status-missing", "not listed upstream");
    missing.title = `No price source has listed it since ${row.missing_upstream_since.slice(0, 10)}: it may be gone at this price.`;
    td.append(missing);
  }
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
  if (row.money) td.append(...moneyDetails(row.money));
  return td;
}

/** Under a total: the effective cost when an overlay changed it, and the cost in the display
 * currency (effective, at the ECB rate of the date priced), each exact in its title. */
function moneyDetails(money) {
  const details = [];
  if (money.EffectiveCost !== money.ListCost) {
    const rules = [...new Set(money.lines.map((line) => line.overlay_rule && line.overlay_rule.id).filter(Boolean))];
    const effective = el("span", "cell-detail effective", `effective ${formatUsd(money.EffectiveCost)}`);
    effective.dataset.effective = money.EffectiveCost;
    effective.title = `Exactly $${money.EffectiveCost} under the contract overlay (list $${money.ListCost}; rule ${rules.join(", ")})`;
    details.push(effective);
  }
  const converted = money.converted;
  if (converted) {
    const amount = el("span", "cell-detail converted", `≈ ${formatMoney(converted.EffectiveCost, converted.currency)}`);
    amount.dataset.converted = converted.EffectiveCost;
    amount.dataset.currency = converted.currency;
    amount.title = `Exactly ${converted.EffectiveCost} ${converted.currency} at ${converted.rate} ${converted.currency} per USD (ECB reference rate of ${converted.rate_date})`;
    details.push(amount);
  }
  return details;
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

function renderRow(row, isCheapest, columns, pinned, hidden) {
  const tr = el("tr");
  tr.dataset.key = rowKey(row);
  if (isCheapest) tr.classList.add("cheapest");
  if (!row.available) tr.classList.add("unavailable");
  for (const column of columns) {
    const td = cell(row, column, isCheapest, pinned);
    td.dataset.label = column.label; // the card layout's caption (phones)
    if (hidden.has(column.name)) td.hidden = true;
    tr.append(td);
  }
  return tr;
}

// Each answer's rows in the last order asked for, kept while the rows and the sort stay the same: a
// search or a filter then only filters it. The sort is stable, so the filtered order is the one
// sorting the filtered rows gives. An answer fetched ahead is sorted before it is drawn.
const lastSorts = new WeakMap();

/** `rows` in the order `sort` asks for (kept for the next call with the same rows and sort). */
export function sortedRows(rows, columns, sort) {
  const last = lastSorts.get(rows);
  if (last && last.columns === columns && last.key === sort.key && last.descending === sort.descending) return last.sorted;
  const sorted = sortRows(rows, sort, columns);
  lastSorts.set(rows, { columns, key: sort.key, descending: sort.descending, sorted });
  return sorted;
}

/** The rows passing the filters, in the chosen order (all of them: the budget chart reads them). */
export function visibleRows({ rows, columns, filters, sort }) {
  return filterRows(sortedRows(rows, columns, sort), filters);
}

/** Append `shown[from..to)` to the body: only a page of rows is drawn at a time, so 2,000 models
 * cost what 100 do. */
export function appendRows(tbody, shown, from, to, { columns, cheapest, pins = [], hidden = new Set() }) {
  const fragment = document.createDocumentFragment();
  for (const row of shown.slice(from, to)) {
    const key = rowKey(row);
    fragment.append(renderRow(row, key === cheapest, columns, pins.includes(key), hidden));
  }
  tbody.append(fragment);
}

/** Replace the table body with the first `limit` rows of `shown`. */
export function renderTable(tbody, shown, { rows, columns, limit, hidden = new Set(), ...options }) {
  tbody.replaceChildren();
  if (shown.length) {
    appendRows(tbody, shown, 0, limit, { columns, hidden, ...options });
    return;
  }
  const td = el("td", "placeholder", rows.length ? "No model matches the filters." : "No model has a price in force on that date.");
  td.colSpan = columns.filter((column) => !hidden.has(column.name)).length;
  const tr = el("tr", "placeholder");
  tr.append(td);
  tbody.append(tr);
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

