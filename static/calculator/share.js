/* Save and share: save a comparison (text only when asked), keep the controls in the URL
 * (never the text), and reopen a saved comparison from ?c=<id>. */
import { readPins, writePins } from "./answer.js";
import * as api from "./api.js";
import { writeColumns } from "./columns.js";


async function save(page) {
  const errorSlot = page.$("error-save");
  errorSlot.hidden = true;
  let body;
  try {
    body = page.estimateBody();
  } catch (error) {
    page.showError(error.field, error.message);
    return;
  }
  if (body.text === "") {
    errorSlot.textContent = "Paste some text (or choose a number of tokens) before saving.";
    errorSlot.hidden = false;
    return;
  }
  body.save_text = page.$("save_text").checked;
  const button = page.$("save-button");
  button.disabled = true;
  try {
    const saved = await api.request("POST", page.urls.comparisons, body);
    page.$("save-link").href = saved.url;
    page.$("save-link").textContent = new URL(saved.url, window.location.href).href;
    page.$("save-json").href = saved.json_url;
    page.$("save-csv").href = saved.csv_url;
    page.$("copy-status").textContent = "";
    page.$("save-result").hidden = false;
  } catch (error) {
    errorSlot.textContent = error.field ? `${error.field.replace(/_/g, " ")}: ${error.message}` : error.message;
    errorSlot.hidden = false;
  } finally {
    button.disabled = false;
  }
}

const URL_CONTROLS = {
  output_tokens: "value", reasoning_tokens: "value", requests_per_month: "value", chat_messages: "value",
  as_of: "value", as_of_time: "value",
  input_tokens: "value", batch: "checked", all_models: "checked",
};
// Percentages on the page, shares (0 to 1) in the URL and the API.
const SHARES = ["cached_input_share", "cache_write_share"];
const URL_FILTERS = { provider: "filter-provider", tier: "filter-tier", q: "filter-search", fits: "filter-fits" };

const MONEY_CHOICES = ["overlay", "currency"];

export function writeUrl(page) {
  const params = new URLSearchParams();
  for (const [id, prop] of Object.entries(URL_CONTROLS)) {
    const value = page.$(id)[prop];
    if (prop === "checked" ? value : value !== page.$(id).defaultValue) params.set(id, prop === "checked" ? "1" : value);
  }
  if (page.source() !== "tokens") params.delete("input_tokens");
  else params.set("input_tokens", page.$("input_tokens").value);
  if (page.$("service_tier").value !== "standard") params.set("service_tier", page.$("service_tier").value);
  for (const id of SHARES) {
    const share = page.$(id).value;
    if (share && share !== "0") params.set(id, String(Number(share) / 100));
  }
  if (page.$("cache_write_lifetime").value !== "5m") params.set("cache_write_lifetime", page.$("cache_write_lifetime").value);
  for (const id of MONEY_CHOICES) if (page.$(id).value) params.set(id, page.$(id).value);
  for (const [name, id] of Object.entries(URL_FILTERS)) {
    const input = page.$(id);
    const value = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
    if (value) params.set(name, value);
  }
  if (page.sort.key !== "total_usd" || page.sort.descending) params.set("sort", (page.sort.descending ? "-" : "") + page.sort.key);
  if (page.$("token-tokenizer").value !== "o200k_base") params.set("tokenizer", page.$("token-tokenizer").value);
  writePins(params);
  writeColumns(params);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function applyInputs(page, values) {
  for (const [id, prop] of Object.entries(URL_CONTROLS)) {
    if (values[id] === undefined || values[id] === null) continue;
    const value = String(values[id]);
    if (prop === "checked") page.$(id).checked = value === "1" || value === "true";
    else page.$(id).value = id === "as_of" ? value.slice(0, 10) : value;
  }
  // A saved moment with a time of day (not a date's end of day) gives the time back to its control.
  const moment = /T(\d\d:\d\d):\d\d(\+00:00|Z)$/.exec(String(values.as_of || ""));
  if (moment && values.as_of_time === undefined) page.$("as_of_time").value = moment[1];
  if (values.input_tokens !== undefined && values.input_tokens !== null) page.setSource("tokens");
  const tier = values.service_tier && page.$("service_tier").querySelector(`option[value="${CSS.escape(values.service_tier)}"]`);
  if (tier) page.$("service_tier").value = values.service_tier;
  for (const id of SHARES) {
    if (values[id] === undefined || values[id] === null) continue;
    const percent = Number(values[id]) * 100;
    if (Number.isFinite(percent)) page.$(id).value = String(Math.round(percent * 100) / 100);
  }
  if (["5m", "1h"].includes(values.cache_write_lifetime)) page.$("cache_write_lifetime").value = values.cache_write_lifetime;
  // An overlay or currency this page does not offer is left unset rather than sent blind.
  for (const id of MONEY_CHOICES) {
    const option = values[id] && page.$(id).querySelector(`option[value="${CSS.escape(values[id])}"]`);
    if (option) page.$(id).value = values[id];
  }
}

export function readUrl(page) {
  const params = new URLSearchParams(window.location.search);
  applyInputs(page, Object.fromEntries(params));
  readPins(params);
  // A link that changes an assumption shows the options it changed.
  const optionNames = Object.keys(URL_CONTROLS).concat(SHARES, MONEY_CHOICES, ["service_tier", "cache_write_lifetime"]);
  if (optionNames.some((name) => name !== "input_tokens" && name !== "all_models" && params.has(name))) {
    page.$("more-options").open = true;
  }
  for (const [name, id] of Object.entries(URL_FILTERS)) {
    if (!params.has(name)) continue;
    const input = page.$(id);
    if (input.type === "checkbox") input.checked = params.get(name) === "1";
    else input.value = params.get(name);
  }
  const sortParam = params.get("sort");
  if (sortParam && page.resultsTable.querySelector(`th[data-sort="${CSS.escape(sortParam.replace(/^-/, ""))}"]`)) {
    Object.assign(page.sort, { key: sortParam.replace(/^-/, ""), descending: sortParam.startsWith("-") });
  }
  const tokenizer = params.get("tokenizer");
  if (tokenizer && page.$("token-tokenizer").querySelector(`option[value="${CSS.escape(tokenizer)}"]`)) {
    page.$("token-tokenizer").value = tokenizer;
  }
  return params.get("c");
}

/** `?c=<id>`: reopen a saved comparison (its inputs, its as-of date, its text if saved). */
export async function reopen(page, id) {
  try {
    const saved = await api.request("GET", page.urls.comparisonJson.replace("__id__", encodeURIComponent(id)));
    applyInputs(page, saved.inputs);
    if (typeof saved.inputs.text === "string") {
      page.textArea.value = saved.inputs.text;
      page.setSource("text");
    }
    const note = page.$("reopen-note");
    note.textContent = `Reopened saved comparison ${saved.id} with its inputs and the prices of ${saved.as_of.slice(0, 10)}.` +
      (saved.inputs.input_tokens === null && typeof saved.inputs.text !== "string"
        ? " It was saved without its text: paste the text again to re-count it." : "");
    note.hidden = false;
    page.updateTextStats();
    page.reflectPresets();
    page.scheduleEstimate(0);
    page.scheduleTokenize(0);
  } catch (error) {
    page.showError(null, `Saved comparison ${id}: ${error.message}`);
  }
}

/** Copy the permalink; where the clipboard is refused, select the link's text instead. */
async function copyLink(page) {
  const link = page.$("save-link");
  const status = page.$("copy-status");
  try {
    await navigator.clipboard.writeText(link.href);
    status.textContent = "Link copied.";
  } catch {
    const range = document.createRange();
    range.selectNodeContents(link);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
  }
}

export function bind(page) {
  page.$("save-button").addEventListener("click", () => save(page));
  page.$("copy-link").addEventListener("click", () => copyLink(page));
}

