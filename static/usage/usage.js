/* The usage pages: upload (multipart to the API, then the import's page), progress while the
 * import runs, and the what-if tables. URLs come from the page's data-* attributes. */

const text = (tag, value) => {
  const element = document.createElement(tag);
  element.textContent = value;
  return element;
};

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error((data.error && data.error.message) || `The server answered ${response.status}.`);
  return data;
}

function setupUpload(form) {
  const error = document.getElementById("usage-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = new FormData(form);
    const response = await fetch(form.dataset.importsUrl, { method: "POST", body, credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    if (response.status !== 202) {
      error.textContent = (data.error && data.error.message) || `The server answered ${response.status}.`;
      error.hidden = false;
      return;
    }
    window.location.assign(`${form.dataset.pageUrl}/${encodeURIComponent(data.id)}`);
  });
}

function watchProgress(section) {
  const bar = document.getElementById("usage-progress");
  const label = document.getElementById("usage-progress-text");
  const tick = async () => {
    const report = await getJson(section.dataset.importUrl);
    bar.value = report.progress.percent;
    label.textContent = `${report.progress.rows_done} of ${report.progress.rows_total ?? "?"} rows`;
    if (report.status === "done" || report.status === "failed") window.location.reload();
    else window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 1000);
}

function setupWhatIf(section) {
  const form = document.getElementById("what-if-form");
  const result = document.getElementById("what-if-result");
  const limits = document.getElementById("what-if-limits");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const model = document.getElementById("what-if-model").value;
    result.textContent = "Pricing…";
    try {
      const data = await getJson(`${section.dataset.whatIfUrl}?model=${encodeURIComponent(model)}`);
      result.textContent = `${data.model}: ${costText(data)}, `
        + `${data.priced_rows} of ${data.rows} rows priced. ${data.ratio_source}.`;
      result.dataset.usd = data.total_usd ?? "";
      limits.replaceChildren(...data.limits.map((limit) => text("li", limit)));
    } catch (error) {
      result.textContent = error.message;
    }
  });
  loadAlternatives(section);
}

// A cost with its range, or "unpriced" when no row could be priced (never $0).
function costText(data) {
  if (data.total_usd === null) return "unpriced";
  return `$${data.total_usd} (range $${data.range.low_usd} to $${data.range.high_usd})`;
}

async function loadAlternatives(section) {
  const body = document.querySelector("#alternatives tbody");
  try {
    const rows = await getJson(section.dataset.alternativesUrl);
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.key = row.model;
      const range = row.range ? `$${row.range.low_usd} – $${row.range.high_usd}` : "—";
      tr.append(text("td", row.model), text("td", row.total_usd === null ? "unpriced" : `$${row.total_usd}`),
        text("td", range), text("td", String(row.unpriced_rows)));
      return tr;
    }));
  } catch (error) {
    body.replaceChildren(text("tr", error.message));
  }
}

const form = document.getElementById("usage-form");
if (form) setupUpload(form);
const section = document.getElementById("usage-import");
if (section && (section.dataset.status === "queued" || section.dataset.status === "running")) watchProgress(section);
if (section && section.dataset.status === "done") setupWhatIf(section);
