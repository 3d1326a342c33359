/* The calculator page: read the controls, ask the API (debounced, stale requests aborted),
 * render the table, the token view and the budget chart; keep the controls in the URL. */
"use strict";

(function (ns) {
  const { api, table, tokens, budget, el, formatUsd, formatInt, formatBytes } = ns;
  const DEBOUNCE_MS = 300;
  const SHOW_PROGRESS_AFTER_MS = 150;
  const NUMBER_FIELDS = ["input_tokens", "output_tokens", "requests_per_month", "cached_input_share", "chat_messages"];
  const FILE_TYPES = [".txt", ".md", ".markdown", ".json", ".csv", ".py"];

  const $ = (id) => document.getElementById(id);
  const form = $("calculator");
  const maxTextBytes = Number(form.dataset.maxTextBytes);
  const textArea = $("text");
  const resultsTable = $("results");
  const sort = { key: "total_usd", descending: false };
  const state = { result: null, shown: [], estimateTimer: null, tokenizeTimer: null, lastTokenizerCount: null };
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

  function estimateBody() {
    const body = {
      output_tokens: wholeNumber("output_tokens"),
      requests_per_month: wholeNumber("requests_per_month"),
      chat_messages: wholeNumber("chat_messages"),
      batch: $("batch").checked,
      all_models: $("all_models").checked,
    };
    const percent = wholeNumber("cached_input_share");
    if (typeof percent !== "number" || percent < 0 || percent > 100) {
      throw new api.ApiError("must be a percentage from 0 to 100.", { field: "cached_input_share" });
    }
    body.cached_input_share = Math.round(percent * 100) / 10000;
    if ($("as_of").value) body.as_of = $("as_of").value;
    if (source() === "tokens") body.input_tokens = wholeNumber("input_tokens");
    else body.text = textArea.value;
    return body;
  }

  /* ---------- estimate ---------- */

  function scheduleEstimate(delay = DEBOUNCE_MS) {
    clearTimeout(state.estimateTimer);
    state.estimateTimer = setTimeout(runEstimate, delay);
    writeUrl();
  }

  function setBusy(busy, body) {
    resultsTable.setAttribute("aria-busy", String(busy));
    clearTimeout(state.progressTimer);
    if (!busy) {
      $("progress").hidden = true;
      return;
    }
    const size = body.text !== undefined ? formatBytes(encoder.encode(body.text).length) : null;
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
    setBusy(true, body);
    try {
      const result = await api.estimateChannel.send("POST", "/api/v1/estimate", body);
      state.result = result;
      state.lastTokenizerCount = result.tokenizers.length;
      setBusy(false);
      render();
    } catch (error) {
      if (api.isAbort(error)) return;
      setBusy(false);
      showError(error.field, error.message);
    }
  }

  function showEmpty() {
    api.estimateChannel.abort();
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

  function render() {
    const result = state.result;
    const tbody = $("results-body");
    if (!result) {
      const td = el("td", null, "Paste some text (or choose a number of tokens) to see every model.");
      td.colSpan = 11;
      const tr = el("tr", "placeholder");
      tr.append(td);
      tbody.replaceChildren(tr);
      state.shown = [];
      $("summary").textContent = "";
      $("budget-summary").textContent = "";
      budget.drawChart($("chart-svg"), [], { width: 0, caption: "", cheapest: null });
      budget.fillChartTable($("chart-table").tBodies[0], []);
      return;
    }
    state.shown = table.renderTable(tbody, {
      rows: result.results, cheapest: result.cheapest_fitting, filters: filters(), sort,
    });
    renderSummary(result);
    renderBudget(result);
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
      summary.append(el("strong", null, "No model fits"), " this prompt plus the expected output in its context window.");
    }
    const stats = result.text;
    if (stats) {
      summary.append(el("span", "muted small", ` Counted ${formatInt(stats.characters)} characters with ` +
        `${result.tokenizers.length} tokenizers in ${Math.round(result.elapsed_ms)} ms; prices as of ${result.as_of.slice(0, 10)}.`));
    }
  }

  function renderBudget(result) {
    const inputs = result.inputs;
    const rows = budget.chartRows(state.shown);
    const perRequest = result.text
      ? "your text"
      : `${formatInt(inputs.input_tokens)} input tokens`;
    const caption = `Monthly cost per model: ${formatInt(inputs.requests_per_month)} requests of ${perRequest} ` +
      `and ${formatInt(inputs.output_tokens)} output tokens${inputs.batch ? ", batch pricing" : ""}` +
      `${inputs.cached_input_share !== "0" ? `, ${Number(inputs.cached_input_share) * 100}% of input from cache` : ""}; cheapest first.`;
    $("chart-caption").textContent = caption;
    const holder = $("chart-svg");
    budget.drawChart(holder, rows, { width: holder.clientWidth, caption, cheapest: result.cheapest_fitting });
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
      const result = await api.tokenizeChannel.send("POST", "/api/v1/tokenize", {
        text, tokenizer: $("token-tokenizer").value,
      });
      tokens.showTokenization(tokenParts, result);
    } catch (error) {
      if (api.isAbort(error)) return;
      $("error-tokenize").textContent = error.message;
      $("error-tokenize").hidden = false;
    } finally {
      tokenParts.view.setAttribute("aria-busy", "false");
    }
  }

  /* ---------- files: read in the browser ---------- */

  function loadFile(file) {
    clearErrors();
    const name = file.name.toLowerCase();
    if (!FILE_TYPES.some((ext) => name.endsWith(ext))) {
      showError("text", `${file.name} is not a text file this page reads (${FILE_TYPES.join(", ")}).`);
      return;
    }
    if (file.size > maxTextBytes) {
      showError("text", `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxTextBytes)}.`);
      return;
    }
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      textArea.value = String(reader.result);
      onTextChanged(0);
    });
    reader.addEventListener("error", () => showError("text", `${file.name} could not be read.`));
    reader.readAsText(file);
  }

  function bindDropzone() {
    const zone = $("dropzone");
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    }
    for (const type of ["dragleave", "drop"]) zone.addEventListener(type, () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) loadFile(file);
    });
    $("file").addEventListener("change", (event) => {
      if (event.target.files[0]) loadFile(event.target.files[0]);
      event.target.value = "";
    });
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
    $("input_tokens").value = button.dataset.inputTokens;
    $("output_tokens").value = button.dataset.outputTokens;
    setSource("tokens");
    reflectPresets();
    scheduleEstimate(0);
  }

  /* ---------- save and share ---------- */

  async function save() {
    const errorSlot = $("error-save");
    errorSlot.hidden = true;
    let body;
    try {
      body = estimateBody();
    } catch (error) {
      showError(error.field, error.message);
      return;
    }
    if (body.text === "") {
      errorSlot.textContent = "Paste some text (or choose a number of tokens) before saving.";
      errorSlot.hidden = false;
      return;
    }
    body.save_text = $("save_text").checked;
    const button = $("save-button");
    button.disabled = true;
    try {
      const saved = await api.saveComparison(body);
      $("save-link").href = saved.url;
      $("save-link").textContent = new URL(saved.url, window.location.href).href;
      $("save-json").href = saved.json_url;
      $("save-csv").href = saved.csv_url;
      $("save-result").hidden = false;
    } catch (error) {
      errorSlot.textContent = error.field ? `${error.field.replace(/_/g, " ")}: ${error.message}` : error.message;
      errorSlot.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  /* ---------- URL state (everything but the text) ---------- */

  const URL_CONTROLS = {
    output_tokens: "value", requests_per_month: "value", chat_messages: "value", as_of: "value",
    input_tokens: "value", batch: "checked", all_models: "checked",
  };
  const URL_FILTERS = { provider: "filter-provider", tier: "filter-tier", q: "filter-search", fits: "filter-fits" };

  function writeUrl() {
    const params = new URLSearchParams();
    for (const [id, prop] of Object.entries(URL_CONTROLS)) {
      const value = $(id)[prop];
      if (prop === "checked" ? value : value !== $(id).defaultValue) params.set(id, prop === "checked" ? "1" : value);
    }
    if (source() !== "tokens") params.delete("input_tokens");
    else params.set("input_tokens", $("input_tokens").value);
    const share = $("cached_input_share").value;
    if (share && share !== "0") params.set("cached_input_share", String(Number(share) / 100));
    for (const [name, id] of Object.entries(URL_FILTERS)) {
      const input = $(id);
      const value = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
      if (value) params.set(name, value);
    }
    if (sort.key !== "total_usd" || sort.descending) params.set("sort", (sort.descending ? "-" : "") + sort.key);
    if ($("token-tokenizer").value !== "o200k_base") params.set("tokenizer", $("token-tokenizer").value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  }

  function applyInputs(values) {
    for (const [id, prop] of Object.entries(URL_CONTROLS)) {
      if (values[id] === undefined || values[id] === null) continue;
      const value = String(values[id]);
      if (prop === "checked") $(id).checked = value === "1" || value === "true";
      else $(id).value = id === "as_of" ? value.slice(0, 10) : value;
    }
    if (values.input_tokens !== undefined && values.input_tokens !== null) setSource("tokens");
    if (values.cached_input_share !== undefined && values.cached_input_share !== null) {
      const percent = Number(values.cached_input_share) * 100;
      if (Number.isFinite(percent)) $("cached_input_share").value = String(Math.round(percent * 100) / 100);
    }
  }

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    applyInputs(Object.fromEntries(params));
    for (const [name, id] of Object.entries(URL_FILTERS)) {
      if (!params.has(name)) continue;
      const input = $(id);
      if (input.type === "checkbox") input.checked = params.get(name) === "1";
      else input.value = params.get(name);
    }
    const sortParam = params.get("sort");
    if (sortParam && resultsTable.querySelector(`th[data-sort="${CSS.escape(sortParam.replace(/^-/, ""))}"]`)) {
      Object.assign(sort, { key: sortParam.replace(/^-/, ""), descending: sortParam.startsWith("-") });
    }
    const tokenizer = params.get("tokenizer");
    if (tokenizer && $("token-tokenizer").querySelector(`option[value="${CSS.escape(tokenizer)}"]`)) {
      $("token-tokenizer").value = tokenizer;
    }
    return params.get("c");
  }

  /** `?c=<id>`: reopen a saved comparison (its inputs, its as-of date, its text if saved). */
  async function reopen(id) {
    try {
      const saved = await api.loadComparison(id);
      applyInputs(saved.inputs);
      if (typeof saved.inputs.text === "string") {
        textArea.value = saved.inputs.text;
        setSource("text");
      }
      const note = $("reopen-note");
      note.textContent = `Reopened saved comparison ${saved.id} with its inputs and the prices of ${saved.as_of.slice(0, 10)}.` +
        (saved.inputs.input_tokens === null && typeof saved.inputs.text !== "string"
          ? " It was saved without its text: paste the text again to re-count it." : "");
      note.hidden = false;
      updateTextStats();
      reflectPresets();
      scheduleEstimate(0);
      scheduleTokenize(0);
    } catch (error) {
      showError(null, `Saved comparison ${id}: ${error.message}`);
    }
  }

  /* ---------- wiring ---------- */

  function onTextChanged(delay = DEBOUNCE_MS) {
    if (source() !== "text") setSource("text");
    updateTextStats();
    reflectPresets();
    scheduleEstimate(delay);
    scheduleTokenize(delay);
  }

  function bind() {
    textArea.addEventListener("input", () => onTextChanged());
    $("clear-text").addEventListener("click", () => {
      textArea.value = "";
      onTextChanged(0);
      textArea.focus();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    for (const id of NUMBER_FIELDS.concat(["as_of"])) $(id).addEventListener("input", () => {
      if (id === "input_tokens") setSource("tokens");
      reflectPresets();
      scheduleEstimate();
    });
    for (const id of ["batch", "all_models"]) $(id).addEventListener("change", () => scheduleEstimate(0));
    for (const radio of form.querySelectorAll("input[name=source]")) {
      radio.addEventListener("change", () => {
        reflectPresets();
        scheduleEstimate(0);
      });
    }
    for (const id of ["filter-provider", "filter-tier", "filter-fits", "filter-search"]) {
      $(id).addEventListener("input", () => {
        render();
        writeUrl();
      });
    }
    table.bindSorting(resultsTable, sort, () => {
      render();
      writeUrl();
    });
    $("token-tokenizer").addEventListener("change", () => {
      scheduleTokenize(0);
      writeUrl();
    });
    for (const button of document.querySelectorAll("button.preset")) {
      button.addEventListener("click", () => applyPreset(button));
    }
    $("save-button").addEventListener("click", save);
    bindDropzone();
    let width = window.innerWidth;
    window.addEventListener("resize", () => {
      if (Math.abs(window.innerWidth - width) > 40 && state.result) {
        width = window.innerWidth;
        renderBudget(state.result);
      }
    });
  }

  const comparisonId = readUrl();
  bind();
  reflectPresets();
  updateTextStats();
  if (comparisonId) reopen(comparisonId);
  else if (source() === "tokens" || textArea.value) {
    scheduleEstimate(0);
    scheduleTokenize(0);
  }
})(window.LLMCalc);
