/* The calculator page: read the controls, ask the API (debounced, stale requests aborted),
 * render the table, the token view and the budget chart; keep the controls in the URL. */
import * as answer from "./answer.js";
import * as answers from "./answers.js";
import * as api from "./api.js";
import * as budget from "./budget.js";
import * as columns from "./columns.js";
import * as conversation from "./conversation.js";
import * as messages from "./messages.js";
import * as files from "./files.js";
import { el, formatBytes, formatInt, formatUsd } from "./format.js";
import * as share from "./share.js";
import * as table from "./table.js";
import * as tokens from "./tokens.js";

// Shared with files.js and share.js (defined at the end, once every function below exists).
let page = null;
const DEBOUNCE_MS = 300;
// Keystrokes in the table's search closer together than this wait for a pause (no re-render per
// keystroke while typing); the first one after a pause is drawn at once.
const SEARCH_DEBOUNCE_MS = 100;
// Rows drawn at a time; "Show more" appends the next page (2,000+ models stay fast).
const PAGE_SIZE = 50;
// The link follows the table's filters and order a moment later, off the path of drawing.
const URL_DELAY_MS = 250;
const SHOW_PROGRESS_AFTER_MS = 150;
// "All models" fetched ahead: once the featured answer has been on screen this long with nothing
// changed, and the browser is idle, the same inputs' all-models answer is asked for and prepared,
// so ticking the box only draws it. Not for large requests, nor when the browser asks to save data.
const AHEAD_AFTER_MS = 1000;
const AHEAD_MAX_BODY_CHARS = 64 * 1024;
const NUMBER_FIELDS = [
  "input_tokens", "output_tokens", "reasoning_tokens", "requests_per_month", "cached_input_share", "cache_write_share",
  "chat_messages",
];

const $ = (id) => document.getElementById(id);
const form = $("calculator");
const maxTextBytes = Number(form.dataset.maxTextBytes);
// The API's URLs, written into the page by the template's {% url %} tags.
const urls = {
  estimate: form.dataset.estimateUrl,
  // The same estimate with its rows as a table of values (about 40 % of the bytes with every model).
  estimateTable: form.dataset.estimateTableUrl,
  tokenize: form.dataset.tokenizeUrl,
  comparisons: form.dataset.comparisonsUrl,
  comparisonJson: form.dataset.comparisonJsonUrl,
};
const textArea = $("text");
const resultsTable = $("results");
const sort = { key: "total_usd", descending: false };
const state = {
  result: null, pinnedRows: [], shown: [], limit: PAGE_SIZE, estimateTimer: null, tokenizeTimer: null, searchTimer: null,
  lastTokenizerCount: null, run: 0, aheadTimer: null,
};
// Each answer's rows cheapest a month first (the budget chart's order), worked out once per answer.
const chartOrders = new WeakMap();
// The rows of the last full table answer for each set of models ("all" or "featured"), by their
// place under the answer's stamp: a re-cost of the same set asks `?since=<stamp>` and, when the
// server's rows have the same stamp, gets only what changed (docs/page.md, "Re-costing").
const bases = new Map();
const encoder = new TextEncoder();

function source() {
  return form.querySelector("input[name=source]:checked").value;
}

function setSource(value) {
  form.querySelector(`input[name=source][value=${value}]`).checked = true;
}

/* ---------- errors next to the field they name ---------- */

function clearErrors() {
  for (const node of document.querySelectorAll(".field-error, #error-general")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

function showError(field, message) {
  const slot = (field && $(`error-${field}`)) || $("error-general");
  const input = field && $(field);
  const label = input && slot.id === "error-general" ? `${field.replace(/_/g, " ")}: ` : "";
  slot.textContent = label + message;
  slot.hidden = false;
  if (input) input.setAttribute("aria-invalid", "true");
}

/* ---------- the request body from the controls ---------- */

function wholeNumber(id) {
  const raw = $(id).value.trim();
  if (raw === "") throw new api.ApiError("Enter a number.", { field: id });
  const value = Number(raw);
  // Fractions and negatives go to the server as typed, so its message (naming the field) is shown.
  return Number.isFinite(value) ? value : raw;
}

/** The date alone means the end of that day; a time of day (UTC) makes it that moment, today if
 * no date is chosen, so prices that change by the hour (peak bands) bill as at that time. */
function asOfMoment() {
  const day = $("as_of").value;
  const time = $("as_of_time").value;
  if (!time) return day;
  return `${day || new Date().toISOString().slice(0, 10)}T${time.slice(0, 5)}:00Z`;
}

/** A percentage control as the share (0 to 1) the API takes. */
function shareOf(id) {
  const percent = wholeNumber(id);
  if (typeof percent !== "number" || percent < 0 || percent > 100) {
    throw new api.ApiError("must be a percentage from 0 to 100.", { field: id });
  }
  return Math.round(percent * 100) / 10000;
}

function estimateBody() {
  const body = {
    output_tokens: wholeNumber("output_tokens"),
    reasoning_tokens: wholeNumber("reasoning_tokens"),
    requests_per_month: wholeNumber("requests_per_month"),
    chat_messages: wholeNumber("chat_messages"),
    batch: $("batch").checked,
    all_models: $("all_models").checked,
  };
  body.cached_input_share = shareOf("cached_input_share");
  body.cache_write_share = shareOf("cache_write_share");
  body.cache_write_lifetime = $("cache_write_lifetime").value;
  const asOf = asOfMoment();
  if (asOf) body.as_of = asOf;
  // Batch is its own switch; another tier goes with standard processing only.
  if (!body.batch && $("service_tier").value !== "standard") body.service_tier = $("service_tier").value;
  for (const id of ["overlay", "currency"]) if ($(id).value) body[id] = $(id).value;
  if (source() === "tokens") body.input_tokens = wholeNumber("input_tokens");
  else if (source() === "conversation") {
    delete body.chat_messages; // a conversation carries its own messages
    Object.assign(body, conversation.parse(textArea.value));
  } else body.text = textArea.value;
  return body;
}

/* ---------- estimate ---------- */

function scheduleEstimate(delay = DEBOUNCE_MS) {
  clearTimeout(state.estimateTimer);
  cancelAhead();
  summariseOptions();
  $("save-result").hidden = true; // a permalink shown must match what is on screen
  // A finished edit asks at once: right after the event's handlers, before the browser draws a
  // frame (a timer of 0 ms waited for one, 10-25 ms with every model shown). The last call wins.
  const token = (state.estimateToken = {});
  if (delay > 0) state.estimateTimer = setTimeout(runEstimate, delay);
  else queueMicrotask(() => state.estimateToken === token && runEstimate());
  share.writeUrl(page);
}

function setBusy(busy, body) {
  resultsTable.setAttribute("aria-busy", String(busy));
  clearTimeout(state.progressTimer);
  if (!busy) {
    $("progress").hidden = true;
    return;
  }
  const counted = body.text ?? (body.messages || body.conversations ? textArea.value : undefined);
  const size = counted !== undefined ? formatBytes(encoder.encode(counted).length) : null;
  const count = state.lastTokenizerCount;
  const tokenizersText = count ? `${count} tokenizers` : "every tokenizer";
  $("progress-text").textContent = size
    ? `Counting ${size} with ${tokenizersText}…`
    : `Costing ${formatInt(body.input_tokens)} input tokens per request…`;
  const large = body.text !== undefined && body.text.length > 100000;
  state.progressTimer = setTimeout(() => ($("progress").hidden = false), large ? 0 : SHOW_PROGRESS_AFTER_MS);
}

async function runEstimate() {
  let body;
  clearErrors();
  try {
    body = estimateBody();
  } catch (error) {
    showError(error.field, error.message);
    return;
  }
  if (body.text === "") {
    showEmpty();
    return;
  }
  if (body.text !== undefined && encoder.encode(body.text).length > maxTextBytes) {
    showError("text", `The text is ${formatBytes(encoder.encode(body.text).length)}; the limit is ${formatBytes(maxTextBytes)}.`);
    return;
  }
  const run = ++state.run; // a later run makes this one's answer stale
  setBusy(true, body);
  try {
    // Kept (fetched ahead, or this answer shown before), on its way (then waited for: never asked
    // twice), or asked for now; another run's inputs cancel it.
    const result = await askTable(body);
    if (run !== state.run) return;
    state.result = result;
    state.lastTokenizerCount = result.tokenizers.length;
    state.pinnedRows = [];
    state.limit = PAGE_SIZE;
    setBusy(false);
    render();
    describeAverages(body, result);
    fetchMissingPins();
    scheduleAhead(body);
  } catch (error) {
    if (api.isAbort(error) || run !== state.run) return;
    setBusy(false);
    showError(error.field, error.message);
  }
}

/** The estimate of `body` as the table answer (kept, on its way, or asked for now). With the rows
 * of an earlier full answer for the same set of models at hand, it asks for a re-cost against their
 * stamp: the server then sends only each row's changing values, or the full answer if its rows'
 * stamp differs. */
function askTable(body) {
  const set = setOf(body);
  const base = set && bases.get(set);
  const url = base ? `${urls.estimateTable}?since=${encodeURIComponent(base.stamp)}` : urls.estimateTable;
  return answers.answer(url, body, (data) => prepareAnswer(data, set, base));
}

/** Which rows a request asks for, as far as a re-cost may reuse them ("all", "featured"; null for
 * a list of models). */
function setOf(body) {
  if (body.models) return null;
  return body.all_models ? "all" : "featured";
}

/** An answer made ready to draw, once, when it arrives (for an answer fetched ahead, before it is
 * asked for): its rows read, money attached, sorted in the table's order and the chart's. */
function prepareAnswer(data, set, base) {
  const result = data.results_update ? readUpdate(data, base) : readTable(data, set);
  attachMoney(result);
  result.empty_reason = emptyReason(result);
  table.sortedRows(result.results, result.columns, sort);
  chartOrders.set(result, budget.chartRows(result.results));
  return result;
}

/* ---------- "All models" fetched ahead ---------- */

function cancelAhead() {
  clearTimeout(state.aheadTimer);
  if (state.aheadIdle && window.cancelIdleCallback) window.cancelIdleCallback(state.aheadIdle);
  state.aheadTimer = state.aheadIdle = null;
}

/** Whether the all-models answer for these inputs is worth asking for before the box is ticked. */
function worthFetchingAhead(body) {
  if (body.all_models || body.models) return false;
  if (navigator.connection && navigator.connection.saveData) return false; // the visitor asked to save data
  if (document.visibilityState === "hidden") return false;
  return JSON.stringify(body).length <= AHEAD_MAX_BODY_CHARS;
}

/** After a featured answer: ask for the same inputs with every model once the page has been idle a
 * moment (any change first cancels this; other inputs cancel the request itself). */
function scheduleAhead(body) {
  cancelAhead();
  resultsTable.dataset.ahead = "";
  if (!worthFetchingAhead(body)) return;
  const everything = { ...body, all_models: true };
  if (answers.has(everything)) {
    resultsTable.dataset.ahead = "ready";
    return;
  }
  const run = state.run;
  state.aheadTimer = setTimeout(() => {
    const start = () => {
      state.aheadIdle = null;
      if (run !== state.run) return;
      resultsTable.dataset.ahead = "pending";
      askTable(everything).then(
        () => { if (run === state.run) resultsTable.dataset.ahead = "ready"; },
        () => { if (run === state.run) resultsTable.dataset.ahead = ""; }, // the tick will ask again
      );
    };
    if (window.requestIdleCallback) state.aheadIdle = window.requestIdleCallback(start, { timeout: 2000 });
    else start();
  }, AHEAD_AFTER_MS);
}

/** The table answer as the public one: `results_table` ({fields, rows of values}) becomes
 * `results`, one object per row with the same fields and values. Its rows become the base of the
 * next re-cost of the same set, each at its place under the answer's stamp. */
function readTable(answer, set) {
  const { fields, rows, stamp, places } = answer.results_table;
  answer.results = rows.map((values) => {
    const row = {};
    for (let index = 0; index < fields.length; index++) row[fields[index]] = values[index];
    return row;
  });
  delete answer.results_table;
  if (set && stamp) {
    const canon = new Array(rows.length);
    answer.results.forEach((row, index) => (canon[places[index]] = row));
    bases.set(set, { stamp, canon, fields });
  }
  return answer;
}

/** A re-cost against `base` (the server found the same stamp): `results_update` gives each row's
 * place in the base and its changing values. Each row is a new object with the base row's other
 * values, its fields in the full answer's order (one shape for every row, as `readTable` makes
 * them); the base's rows are left as they were (the answer on screen until this one is drawn). */
function readUpdate(answer, base) {
  const { stamp, fields, values, rows } = answer.results_update;
  if (!base || base.stamp !== stamp) throw new api.ApiError("The page asked for a re-cost it cannot read; reload the page.");
  const kept = base.fields.filter((field) => !fields.includes(field));
  answer.results = rows.map(([place, which]) => {
    const from = base.canon[place];
    const list = values[which];
    const row = {};
    for (let index = 0; index < kept.length; index++) row[kept[index]] = from[kept[index]];
    for (let index = 0; index < fields.length; index++) row[fields[index]] = list[index];
    return row;
  });
  delete answer.results_update;
  return answer;
}

// With an overlay or a currency the answer carries `money`, one entry per priced row (list,
// contracted and effective cost, converted at the ECB rate of the date priced): each row gets its own.
function attachMoney(result) {
  const entries = new Map((result.money || []).map((entry) => [`${entry.provider}/${entry.model}`, entry]));
  for (const row of result.results) row.money = entries.get(table.rowKey(row)) || null;
}

function showEmpty() {
  answers.keepOnly(null);
  state.run++;
  state.result = null;
  setBusy(false);
  render();
}

/* ---------- rendering ---------- */

function filters() {
  return {
    provider: $("filter-provider").value,
    tier: $("filter-tier").value,
    fitsOnly: $("filter-fits").checked,
    search: $("filter-search").value,
  };
}

/** Draw the answer strip (unless only the table's filters or order changed), the table and chart. */
function render({ answerToo = true } = {}) {
  const result = state.result;
  if (answerToo) renderAnswer();
  if (!result) {
    renderPlaceholder();
    return;
  }
  // Read before the table changes: asking for a width after would force a second layout.
  const chartWidth = $("chart-svg").clientWidth;
  const options = { columns: result.columns, cheapest: result.cheapest_fitting, pins: answer.pins, hidden: columns.hidden };
  state.shown = table.visibleRows({ rows: result.results, columns: result.columns, filters: filters(), sort });
  table.renderTable($("results-body"), state.shown, { rows: result.results, limit: state.limit, ...options });
  renderCount();
  renderSummary(result);
  // The chart depends on the result and the filters, not on the table's order: a sort keeps it.
  const chartKey = JSON.stringify(filters());
  if (state.chartResult !== result || state.chartKey !== chartKey) {
    Object.assign(state, { chartResult: result, chartKey });
    renderBudget(result, chartWidth);
  }
  settled();
}

function renderPlaceholder() {
  const td = el("td", null, "Paste some text (or choose a number of tokens) to see every model.");
  td.colSpan = resultsTable.querySelectorAll("thead th[data-sort]:not([hidden])").length;
  const tr = el("tr", "placeholder");
  tr.append(td);
  $("results-body").replaceChildren(tr);
  state.shown = [];
  state.chartResult = null;
  renderCount();
  $("summary").textContent = "";
  $("budget-summary").textContent = "";
  budget.drawChart($("chart-svg"), [], { width: 0, caption: "", cheapest: null });
  budget.fillChartTable($("chart-table").tBodies[0], []);
  settled();
}

/** The next page of rows, appended: the rows already drawn stay as they are. */
function showMore() {
  const result = state.result;
  const from = state.limit;
  state.limit += PAGE_SIZE;
  table.appendRows($("results-body"), state.shown, from, state.limit, {
    columns: result.columns, cheapest: result.cheapest_fitting, pins: answer.pins, hidden: columns.hidden,
  });
  renderCount();
  settled();
}

/** How many rows are drawn of how many match, and the order (announced: a polite live region). */
function renderCount() {
  const total = state.shown.length;
  const drawn = Math.min(state.limit, total);
  const more = $("show-more");
  more.hidden = drawn >= total;
  more.textContent = `Show ${formatInt(Math.min(PAGE_SIZE, total - drawn))} more`;
  if (!state.result || !total) {
    $("table-count").textContent = "";
    return;
  }
  const header = resultsTable.querySelector(`th[data-sort="${CSS.escape(sort.key)}"] button`);
  const order = `sorted by ${header ? header.textContent : sort.key}, ${sort.descending ? "descending" : "ascending"}`;
  $("table-count").textContent = drawn < total
    ? `Showing the first ${formatInt(drawn)} of ${formatInt(total)} models, ${order}.`
    : `${formatInt(total)} model${total === 1 ? "" : "s"}, ${order}.`;
}

/** Tell whoever listens (the benchmark, tests) that the table is drawn. */
function settled() {
  resultsTable.dispatchEvent(new CustomEvent("rendered"));
}

/** A filter or sort change: back to the first page of the new order. */
function refilter() {
  state.limit = PAGE_SIZE;
  render({ answerToo: false }); // the strip reads the whole answer, not the table's view of it
  writeUrlSoon();
}

function writeUrlSoon() {
  clearTimeout(state.urlTimer);
  state.urlTimer = setTimeout(() => share.writeUrl(page), URL_DELAY_MS);
}

function renderAnswer() {
  answer.renderAnswer($, state.result, { pinnedRows: state.pinnedRows, onUnpin: (key) => togglePin(key) });
}

function togglePin(key) {
  answer.togglePin(key);
  share.writeUrl(page);
  render();
  fetchMissingPins();
}

/** Pinned models outside the table's set (e.g. not featured) are costed by a request of their own. */
async function fetchMissingPins() {
  const missing = state.result ? answer.missingPins(state.result) : [];
  const known = new Set(state.pinnedRows.map(table.rowKey));
  if (!missing.length || missing.every((key) => known.has(key))) return;
  try {
    const body = { ...estimateBody(), models: missing, all_models: false };
    const extra = await api.pinsChannel.send("POST", urls.estimate, body);
    state.pinnedRows = extra.results;
    renderAnswer();
  } catch (error) {
    if (!api.isAbort(error)) state.pinnedRows = [];
  }
}

function summariseOptions() {
  $("options-assumed").textContent = answer.describeAssumptions($);
}

/** Why no model is the cheapest that fits: no price on that date, no count, or no fit. */
function emptyReason(result) {
  const day = result.as_of.slice(0, 10);
  const costed = result.results.filter((row) => row.total_usd !== null);
  if (!costed.length && result.results.some((row) => row.price_note)) {
    return `No model shown has a price known on ${day}; each row says since when it is priced. ` +
      "Choose a later date, or tick All models.";
  }
  if (!costed.length) return "No model could be costed: their tokenizers are unavailable.";
  return "No model fits this prompt plus the expected output in its context window.";
}

function renderSummary(result) {
  const summary = $("summary");
  summary.replaceChildren();
  const best = result.results.find((row) => table.rowKey(row) === result.cheapest_fitting);
  if (best) {
    summary.append("Cheapest that fits: ", el("strong", null, table.label(best)),
      ` at ${formatUsd(best.total_usd)} per request`,
      best.requests_per_month !== 1 ? `, ${formatUsd(best.monthly_usd)} a month` : "", ".");
  } else if (result.results.length) {
    summary.append(el("strong", null, emptyReason(result)));
  }
  summary.append(...moneySummary(result));
  const stats = result.text;
  if (stats) {
    summary.append(el("span", "muted small", ` Counted ${formatInt(stats.characters)} characters with ` +
      `${result.tokenizers.length} tokenizers in ${Math.round(result.elapsed_ms)} ms; prices as of ${result.as_of.slice(0, 10)}.`));
  }
}

// What the money under each total means: the overlay applied, the currency and its rate's source.
function moneySummary(result) {
  const parts = [];
  if (result.overlay) parts.push(` Contract overlay ${result.overlay}: the effective cost is under each total it changes.`);
  const conversion = result.conversion;
  if (conversion) {
    parts.push(` Amounts in ${conversion.currency} (≈ under each total) at the ECB reference rate of ${conversion.rate_date}: ` +
      `1 EUR = ${conversion.usd_per_eur} USD${conversion.currency !== "EUR" ? ` = ${conversion.currency_per_eur} ${conversion.currency}` : ""}` +
      `${conversion.note ? ` (${conversion.note})` : ""}.`);
  }
  return parts.length ? [el("span", "money-summary", parts.join(""))] : [];
}

function renderBudget(result, width) {
  const inputs = result.inputs;
  // Cheapest first, worked out once per answer; the table's filters then only pick from it.
  let rows = chartOrders.get(result);
  if (!rows) chartOrders.set(result, (rows = budget.chartRows(result.results)));
  if (state.shown.length !== result.results.length) {
    const shown = new Set(state.shown);
    rows = rows.filter((row) => shown.has(row));
  }
  const perRequest = result.text
    ? "your text"
    : `${formatInt(inputs.input_tokens)} input tokens`;
  const caption = `Monthly cost per model: ${formatInt(inputs.requests_per_month)} requests of ${perRequest} ` +
    `and ${formatInt(inputs.output_tokens)} output tokens${inputs.batch ? ", batch pricing" : ""}` +
    `${inputs.reasoning_tokens ? ` (+ ${formatInt(inputs.reasoning_tokens)} reasoning, assumed)` : ""}` +
    `${inputs.cached_input_share !== "0" ? `, ${Number(inputs.cached_input_share) * 100}% of input from cache` : ""}` +
    `${inputs.cache_write_share && inputs.cache_write_share !== "0"
      ? `, ${Number(inputs.cache_write_share) * 100}% written to cache (${inputs.cache_write_lifetime === "1h" ? "1 h" : "5 min"})` : ""}` +
    "; cheapest first.";
  $("chart-caption").textContent = caption;
  const holder = $("chart-svg");
  budget.drawChart(holder, rows, { width: width ?? holder.clientWidth, caption, cheapest: result.cheapest_fitting });
  budget.fillChartTable($("chart-table").tBodies[0], rows);
  const summary = $("budget-summary");
  if (rows.length) {
    const low = rows[0];
    const high = rows[rows.length - 1];
    summary.textContent = `From ${formatUsd(low.monthly_usd)} a month (${low.name}) to ` +
      `${formatUsd(high.monthly_usd)} (${high.name}).`;
  } else {
    summary.textContent = "";
  }
}

function updateTextStats() {
  const text = textArea.value;
  if (!text) {
    $("text-stats").textContent = "No text yet.";
    return;
  }
  const words = text.split(/\s+/).filter(Boolean).length;
  $("text-stats").textContent = `${formatInt(text.length)} characters · ${formatInt(words)} words · ` +
    `${formatBytes(encoder.encode(text).length)}`;
}

/* ---------- token view ---------- */

const tokenParts = { view: $("token-view"), stats: $("token-stats"), note: $("token-note") };

function scheduleTokenize(delay = DEBOUNCE_MS) {
  clearTimeout(state.tokenizeTimer);
  state.tokenizeTimer = setTimeout(runTokenize, delay);
}

async function runTokenize() {
  const text = textArea.value;
  $("error-tokenize").hidden = true;
  if (!text) {
    api.tokenizeChannel.abort();
    tokens.clearTokenization(tokenParts, "The tokens of your text appear here.");
    return;
  }
  tokenParts.view.setAttribute("aria-busy", "true");
  try {
    const tokenizer = $("token-tokenizer").value;
    let request = { text, tokenizer };
    if (source() === "conversation") {
      const parsed = conversation.parse(text);
      // The token view shows one conversation: the first of a .jsonl log.
      request = { ...(parsed.conversations ? parsed.conversations[0] : parsed), tokenizer };
    }
    const result = await api.tokenizeChannel.send("POST", urls.tokenize, request);
    tokens.showTokenization(tokenParts, result);
  } catch (error) {
    if (api.isAbort(error)) return;
    $("error-tokenize").textContent = error.message;
    $("error-tokenize").hidden = false;
  } finally {
    tokenParts.view.setAttribute("aria-busy", "false");
  }
}

/* ---------- presets ---------- */

function reflectPresets() {
  for (const button of document.querySelectorAll("button.preset")) {
    const active = source() === "tokens" &&
      $("input_tokens").value === button.dataset.inputTokens &&
      $("output_tokens").value === button.dataset.outputTokens;
    button.setAttribute("aria-pressed", String(active));
  }
}

function applyPreset(button) {
  const replaced = {
    text: source() === "text" && textArea.value.trim() !== "",
    input: $("input_tokens").value,
    output: $("output_tokens").value,
  };
  $("input_tokens").value = button.dataset.inputTokens;
  $("output_tokens").value = button.dataset.outputTokens;
  setSource("tokens");
  describePreset(button, replaced);
  reflectPresets();
  scheduleEstimate(0);
}

// Next to the presets: what the one just chosen replaced, and (when a text was the input) a way
// to keep that text as the input with the preset's output length.
function describePreset(button, replaced) {
  const input = Number(button.dataset.inputTokens).toLocaleString("en-US");
  const output = Number(button.dataset.outputTokens).toLocaleString("en-US");
  const before = replaced.text
    ? "your text as the input"
    : `${replaced.input || "no"} input tokens`;
  $("preset-note-text").textContent =
    `${button.dataset.name}: ${input} input and ${output} output tokens a request, in place of ` +
    `${before} and ${replaced.output || "no"} output tokens.`;
  $("preset-keep-text").hidden = !replaced.text;
  $("preset-note").hidden = false;
}

function keepTextAsInput() {
  setSource("text");
  $("preset-note-text").textContent =
    `Your text is the input; the output stays at ${Number($("output_tokens").value).toLocaleString("en-US")} tokens a request.`;
  $("preset-keep-text").hidden = true;
  reflectPresets();
  scheduleEstimate(0);
}

/* ---------- conversations pasted as JSON ---------- */

// A paste that is chat JSON (a list of messages, {"messages": ...} or a .jsonl log) is counted as a
// conversation, and the page says so with a way back to plain text.
function detectConversation() {
  const text = textArea.value.trim();
  if (source() !== "text" || !/^[[{]/.test(text) || !conversation.looks(text)) return;
  setSource("conversation");
  describeConversation();
}

function describeConversation() {
  let parsed;
  try {
    parsed = conversation.parse(textArea.value);
  } catch {
    return;
  }
  $("conversation-note-text").textContent = parsed.conversations
    ? `Read as a log of ${formatInt(parsed.conversations.length)} conversations, one per line: the table gives per-request averages.`
    : `Read as a chat conversation of ${formatInt(parsed.messages.length)} messages: each model adds its own chat framing.`;
  $("conversation-as-text").hidden = false;
  $("conversation-note").hidden = false;
}

function countAsText() {
  setSource("text");
  $("conversation-note-text").textContent = "Counted as plain text.";
  $("conversation-as-text").hidden = true;
  reflectPresets();
  scheduleEstimate(0);
  scheduleTokenize(0);
}

// After an estimate of a .jsonl log: how many conversations were averaged, and their spread.
function describeAverages(body, result) {
  if (!body.conversations) return;
  // The spread as the token view's tokenizer counts it, or else as the first averaged row's does.
  const rows = result.results.filter((r) => r.available && (r.note || "").startsWith("Per-request average"));
  const averaged = rows.find((r) => r.tokenizer === $("token-tokenizer").value) || rows[0];
  const spread = averaged && /\((input from [^)]*)\)/.exec(averaged.note);
  if (!spread) return;
  $("conversation-note-text").textContent =
    `A log of ${formatInt(body.conversations.length)} conversations: the table gives per-request averages ` +
    `(with ${averaged.tokenizer}, ${spread[1]}).`;
  $("conversation-note").hidden = false;
}

/* ---------- wiring ---------- */

function onTextChanged(delay = DEBOUNCE_MS) {
  if (source() === "tokens") setSource("text");
  updateTextStats();
  reflectPresets();
  scheduleEstimate(delay);
  scheduleTokenize(delay);
}

function bind() {
  // A paste is a finished edit: answer at once; typing waits for a pause.
  textArea.addEventListener("input", (event) => {
    const pasted = event.inputType === "insertFromPaste";
    if (pasted) detectConversation();
    onTextChanged(pasted ? 0 : DEBOUNCE_MS);
  });
  $("conversation-as-text").addEventListener("click", countAsText);
  messages.bind({
    $,
    textArea,
    onChange(json) {
      textArea.value = json;
      setSource("conversation");
      describeConversation();
      onTextChanged(DEBOUNCE_MS);
    },
  });
  $("clear-text").addEventListener("click", () => {
    textArea.value = "";
    onTextChanged(0);
    textArea.focus();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const id of NUMBER_FIELDS.concat(["as_of", "as_of_time"])) {
    $(id).addEventListener("input", () => {
      if (id === "input_tokens") setSource("tokens");
      reflectPresets();
      scheduleEstimate();
    });
    // A finished edit (arrow keys, the spinner, leaving the field) re-costs at once.
    $(id).addEventListener("change", () => scheduleEstimate(0));
  }
  for (const id of ["batch", "all_models", "service_tier", "cache_write_lifetime", "overlay", "currency"]) $(id).addEventListener("change", () => scheduleEstimate(0));
  for (const radio of form.querySelectorAll("input[name=source]")) {
    radio.addEventListener("change", () => {
      reflectPresets();
      scheduleEstimate(0);
      scheduleTokenize(0);
    });
  }
  for (const id of ["filter-provider", "filter-tier", "filter-fits"]) $(id).addEventListener("input", refilter);
  $("filter-search").addEventListener("input", () => {
    clearTimeout(state.searchTimer);
    const now = performance.now();
    const typing = now - (state.searchInputAt ?? -Infinity) < SEARCH_DEBOUNCE_MS;
    state.searchInputAt = now;
    // The first keystroke after a pause is drawn at once; while typing goes on, after a pause.
    if (typing) state.searchTimer = setTimeout(refilter, SEARCH_DEBOUNCE_MS);
    else refilter();
  });
  $("show-more").addEventListener("click", showMore);
  columns.bind(resultsTable, () => {
    writeUrlSoon();
    settled();
  });
  $("results-body").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-pin]");
    if (button) togglePin(button.dataset.pin);
  });
  table.bindSorting(resultsTable, sort, refilter);
  $("token-tokenizer").addEventListener("change", () => {
    scheduleTokenize(0);
    share.writeUrl(page);
  });
  $("preset-keep-text").addEventListener("click", keepTextAsInput);
  for (const button of document.querySelectorAll("button.preset")) {
    button.addEventListener("click", () => applyPreset(button));
  }
  files.bind(page);
  share.bind(page);
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (Math.abs(window.innerWidth - width) > 40 && state.result) {
      width = window.innerWidth;
      renderBudget(state.result);
    }
  });
}

page = {
  $, form, urls, textArea, resultsTable, sort, maxTextBytes, source, setSource, showError, clearErrors, estimateBody,
  scheduleEstimate, scheduleTokenize, updateTextStats, reflectPresets, onTextChanged, looksLikeConversation: conversation.looks,
};
columns.init($("columns-menu"), new URLSearchParams(window.location.search));
const comparisonId = share.readUrl(page);
bind();
reflectPresets();
updateTextStats();
summariseOptions();
if (comparisonId) share.reopen(page, comparisonId);
else if (source() === "tokens" || textArea.value) {
  scheduleEstimate(0);
  scheduleTokenize(0);
}
