/* The answer strip under the text box: tokens per tokenizer, the cheapest model that fits and the
 * cost on the models the visitor pinned (kept in the URL as ?pin=provider/model, repeatable).
 * It reads the same estimate response as the table; it never asks the server itself. */
import { el, formatInt, formatUsd } from "./format.js";
import { label, rowKey } from "./table.js";

/** The pinned models, in the order they were pinned. */
export const pins = [];

export function readPins(params) {
  pins.splice(0, pins.length, ...params.getAll("pin").filter((key) => /^[\w.-]+\/[\w.:@-]+$/.test(key)));
}

export function writePins(params) {
  for (const key of pins) params.append("pin", key);
}

export function togglePin(key) {
  const at = pins.indexOf(key);
  if (at === -1) pins.push(key);
  else pins.splice(at, 1);
}

/** One count per tokenizer: the text's own tokens (framing is shown in the table). */
function tokenizerCounts(rows) {
  const seen = new Map();
  for (const row of rows) {
    const tokens = row.text_tokens ?? row.input_tokens;
    if (tokens === null || tokens === undefined || seen.has(row.tokenizer)) continue;
    seen.set(row.tokenizer, { name: row.tokenizer_name.replace(/\s*\(estimate\)$/, ""), exact: row.exact, tokens });
  }
  return [...seen.values()];
}

function money(value) {
  const node = el("strong", "answer-usd", formatUsd(value));
  if (value !== null && value !== undefined) {
    node.title = `Exactly $${value}`;
    node.dataset.usd = value;
  }
  return node;
}

function perMonth(row) {
  return row.requests_per_month !== 1 && row.monthly_usd !== null ? ` · ${formatUsd(row.monthly_usd)} a month` : "";
}

function renderCheapest(node, result) {
  const best = result.results.find((row) => rowKey(row) === result.cheapest_fitting);
  node.replaceChildren();
  if (best) {
    node.append("Cheapest that fits: ", el("span", "answer-model", label(best)), " ", money(best.total_usd),
      " a request", perMonth(best));
  } else {
    node.append(el("strong", null, result.empty_reason || "No model fits this prompt."));
  }
}

function renderTokens(list, result) {
  const given = result.inputs.input_tokens;
  const counts = given === null || given === undefined ? tokenizerCounts(result.results) : [];
  list.replaceChildren(...counts.map((count) => {
    const item = el("li", "answer-count");
    item.dataset.tokenizer = count.name;
    item.append(el("span", "answer-count-name", count.name), " ",
      el("strong", null, (count.exact ? "" : "≈ ") + formatInt(count.tokens)));
    if (!count.exact) item.title = "An estimate: this provider's tokenizer is not public.";
    return item;
  }));
  if (given !== null && given !== undefined) {
    list.append(el("li", "answer-count", `${formatInt(given)} input tokens a request`));
  }
}

function renderPins(list, rows, onUnpin) {
  const byKey = new Map(rows.map((row) => [rowKey(row), row]));
  list.replaceChildren(...pins.map((key) => {
    const row = byKey.get(key);
    const item = el("li", "answer-pin");
    item.dataset.key = key;
    if (row) item.append(el("span", "answer-model", label(row)), " ", money(row.total_usd), perMonth(row));
    else item.append(el("span", "answer-model", key), " ", el("span", "muted", "no price here"));
    const unpin = el("button", "unpin", "×");
    unpin.type = "button";
    unpin.setAttribute("aria-label", `Unpin ${row ? label(row) : key}`);
    unpin.addEventListener("click", () => onUnpin(key));
    item.append(" ", unpin);
    return item;
  }));
}

/** Draw the strip from an estimate response (null: nothing to show yet). `pinnedRows` are rows for
 * pinned models fetched apart when the table's set lacks them. */
export function renderAnswer($, result, { pinnedRows = [], onUnpin }) {
  $("answer-empty").hidden = Boolean(result);
  $("answer-body").hidden = !result;
  if (!result) return;
  renderCheapest($("answer-cheapest"), result);
  renderTokens($("answer-tokens"), result);
  renderPins($("answer-pins"), result.results.concat(pinnedRows), onUnpin);
  $("answer-hint").hidden = pins.length > 0;
}

/** Pins the response lacks (a model outside the featured set): the caller fetches them. */
export function missingPins(result) {
  const keys = new Set(result.results.map(rowKey));
  return pins.filter((key) => !keys.has(key));
}

/** The options' summary line: what the numbers assume, in words. */
export function describeAssumptions($) {
  const parts = [`${formatInt($("output_tokens").value || 0)} output tokens`];
  const requests = $("requests_per_month").value;
  parts.push(`${formatInt(requests || 0)} request${requests === "1" ? "" : "s"} a month`);
  const day = $("as_of").value;
  const time = $("as_of_time").value;
  parts.push(day ? `priced as of ${day}${time ? ` ${time} UTC` : ""}` : time ? `priced today at ${time} UTC` : "priced now");
  if ($("batch").checked) parts.push("batch");
  else parts.push(`${$("service_tier").value} tier`);
  const cached = Number($("cached_input_share").value || 0);
  const written = Number($("cache_write_share").value || 0);
  if (!cached && !written) parts.push("no cache");
  else {
    if (cached) parts.push(`${cached}% from cache`);
    if (written) parts.push(`${written}% written to cache`);
  }
  if (Number($("reasoning_tokens").value || 0)) parts.push(`${formatInt($("reasoning_tokens").value)} reasoning tokens`);
  if (Number($("chat_messages").value || 0)) parts.push(`${$("chat_messages").value} chat messages`);
  if ($("overlay").value) parts.push(`contract overlay ${$("overlay").value}`);
  if ($("currency").value) parts.push(`also in ${$("currency").value}`);
  return parts.join(", ");
}
