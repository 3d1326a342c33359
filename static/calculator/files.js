/* Files: a dropped or chosen .txt/.md/.json/.csv/.py file is read in the browser (FileReader)
 * into the text box; other types and oversized files are refused with a message. */
import { formatBytes } from "./format.js";

const FILE_TYPES = [".txt", ".md", ".markdown", ".json", ".jsonl", ".csv", ".py"];

function loadFile(page, file) {
  page.clearErrors();
  const name = file.name.toLowerCase();
  if (!FILE_TYPES.some((ext) => name.endsWith(ext))) {
    page.showError("text", `${file.name} is not a text file this page reads (${FILE_TYPES.join(", ")}).`);
    return;
  }
  if (file.size > page.maxTextBytes) {
    page.showError("text", `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(page.maxTextBytes)}.`);
    return;
  }
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    page.textArea.value = String(reader.result);
    // A .jsonl log, or a .json holding messages, is counted as conversations with their framing.
    const conversation = name.endsWith(".jsonl") || (name.endsWith(".json") && page.looksLikeConversation(page.textArea.value));
    page.setSource(conversation ? "conversation" : "text");
    page.onTextChanged(0);
  });
  reader.addEventListener("error", () => page.showError("text", `${file.name} could not be read.`));
  reader.readAsText(file);
}

export function bind(page) {
  const zone = page.$("dropzone");
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
    if (file) loadFile(page, file);
  });
  page.$("file").addEventListener("change", (event) => {
    if (event.target.files[0]) loadFile(page, event.target.files[0]);
    event.target.value = "";
  });
}

