/* The token view: the text cut into coloured spans, one per token, built with DOM APIs only
 * (textContent), so pasted markup is shown as text and never parsed. */
import { el, formatInt } from "./format.js";

const COLOURS = 5;

function tokenTitle(token, index) {
  const id = token.id === null || token.id === undefined ? "no id (estimated boundary)" : `id ${token.id}`;
  const shown = token.text === "" ? "continues the previous character's bytes" : JSON.stringify(token.text);
  return `token ${index + 1} · ${id} · ${shown}`;
}

/** Fill `container` with one span per token; returns the number of spans. */
export function renderTokens(container, tokens) {
  const fragment = document.createDocumentFragment();
  tokens.forEach((token, index) => {
    const span = el("span", `tok tok-${index % COLOURS}`, token.text);
    if (token.text === "") span.classList.add("tok-split");
    if (token.id !== null && token.id !== undefined) span.dataset.id = String(token.id);
    span.title = tokenTitle(token, index);
    fragment.append(span);
  });
  container.replaceChildren(fragment);
  return tokens.length;
}

function describe(result) {
  if (result.framing_tokens !== null && result.framing_tokens !== undefined) {
    // A conversation: what people wrote, the chat framing and the tool definitions, apart.
    return [
      `${formatInt(result.count)} tokens`,
      `${formatInt(result.content_tokens)} content`,
      `${formatInt(result.framing_tokens)} chat framing (${result.framing})`,
      `${formatInt(result.tools_tokens)} tool definitions`,
      ...(result.image_rule ? [`${formatInt(result.image_tokens)} images (${result.image_rule})`] : []),
    ].join(" · ");
  }
  const parts = [
    `${formatInt(result.count)} tokens`,
    `${formatInt(result.characters)} characters`,
    `${result.chars_per_token ?? "—"} characters per token`,
    `${result.tokens_per_word ?? "—"} tokens per word`,
  ];
  return parts.join(" · ");
}

function notes(result) {
  const lines = [];
  if (result.framing_source) lines.push(`Framing: ${result.framing_source}.`);
  if (!result.exact) lines.push(`${result.name} is an estimate: the count is close, not exact.`);
  if (!result.boundaries_real && !result.framing_source) {
    lines.push("The boundaries shown are illustrative: this tokenizer is not public, so only the count is estimated, not where it cuts.");
  }
  if (result.truncated) {
    lines.push(`Showing the first ${formatInt(result.tokens.length)} of ${formatInt(result.count)} tokens.`);
  }
  return lines.join(" ");
}

/** Show a tokenize response: spans, statistics line and any note. */
export function showTokenization(parts, result) {
  renderTokens(parts.view, result.tokens);
  parts.view.dataset.tokenizer = result.tokenizer;
  parts.view.dataset.count = String(result.count);
  parts.stats.textContent = describe(result);
  const note = notes(result);
  parts.note.textContent = note;
  parts.note.hidden = !note;
}

export function clearTokenization(parts, message) {
  parts.view.replaceChildren(el("span", "muted", message));
  delete parts.view.dataset.count;
  parts.stats.textContent = "";
  parts.note.hidden = true;
}

