/* The bill page's niceties; the page works without them (a plain GET form).
 * - "Copy link": the permalink to the clipboard.
 * - Model search: the datalist grows with catalogue models matching what is typed
 *   and sold at the bill's moment (GET /api/v1/models?search=&as_of=, the URL from the form's
 *   data-models-url). */

const form = document.getElementById("bill-form");
const copyButton = document.getElementById("copy-link");
const status = document.getElementById("copy-status");

if (copyButton && navigator.clipboard) {
  copyButton.hidden = false;
  copyButton.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(copyButton.dataset.url);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Could not copy: select the Permalink and copy it.";
    }
  });
}

const modelInput = document.getElementById("model");
const modelList = document.getElementById("model-list");
let timer = null;
let controller = null;

async function searchModels() {
  const text = modelInput.value.trim();
  if (text.length < 2 || !form.dataset.modelsUrl) return;
  controller?.abort();
  controller = new AbortController();
  const params = new URLSearchParams({ search: text.split("/").pop() });
  const moment = document.getElementById("at")?.value.trim();
  if (moment) params.set("as_of", moment); // the models sold at the bill's moment
  const url = `${form.dataset.modelsUrl}?${params}`;
  try {
    const response = await fetch(url, { signal: controller.signal, credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const known = new Set(Array.from(modelList.options, (option) => option.value));
    for (const row of data.results.slice(0, 50)) {
      const key = `${row.provider}/${row.model}`;
      if (known.has(key)) continue;
      const option = document.createElement("option");
      option.value = key;
      modelList.append(option);
      known.add(key);
    }
  } catch (error) {
    if (error.name !== "AbortError") modelList.dataset.searchFailed = "true";
  }
}

if (modelInput && modelList) {
  modelInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(searchModels, 250);
  });
}
