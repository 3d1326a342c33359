/* The message editor: a conversation written message by message (role, content, images by size
 * or from a file, tools) instead of JSON. The text box stays the one source of what is counted:
 * every edit writes the conversation into it as JSON, and opening the editor reads the JSON that
 * is there. An image file is never uploaded: the browser reads its width and height, and only
 * those are sent (images count by size and detail alone). */
import { parse } from "./conversation.js";

const ROLES = ["system", "developer", "user", "assistant", "tool"];
const DETAILS = ["auto", "low", "high"];
let serial = 0;

function labelled(text, control) {
  const label = document.createElement("label");
  label.className = "inline";
  label.append(text, " ", control);
  return label;
}

function select(options, value, className) {
  const node = document.createElement("select");
  node.className = className;
  for (const option of options) node.append(new Option(option, option, false, option === value));
  return node;
}

function button(text, className) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = `secondary small ${className}`;
  node.textContent = text;
  return node;
}

function numberInput(value, className) {
  const node = document.createElement("input");
  Object.assign(node, { type: "number", min: "1", max: "32768", step: "1", inputMode: "numeric", className });
  if (value) node.value = String(value);
  return node;
}

function imageRow(image = {}) {
  const row = document.createElement("div");
  row.className = "m-image";
  row.append(
    labelled("Width px", numberInput(image.width, "i-width")),
    labelled("Height px", numberInput(image.height, "i-height")),
    labelled("Detail", select(DETAILS, image.detail || "auto", "i-detail")),
    button("Remove image", "i-remove"),
  );
  return row;
}

function messageRow(message = { role: "user", content: "" }) {
  serial += 1;
  const item = document.createElement("li");
  item.className = "m-message";
  const content = document.createElement("textarea");
  Object.assign(content, { className: "m-content", rows: 3, value: message.content || "" });
  const file = document.createElement("input");
  Object.assign(file, { type: "file", accept: "image/png,image/jpeg,image/gif,image/webp", className: "m-image-file" });
  file.id = `m-image-file-${serial}`;
  const fileLabel = document.createElement("label");
  fileLabel.className = "button secondary small";
  fileLabel.htmlFor = file.id;
  fileLabel.textContent = "Image from a file…";
  const images = document.createElement("div");
  images.className = "m-images";
  for (const image of message.images || []) images.append(imageRow(image));
  const actions = document.createElement("div");
  actions.className = "m-actions";
  actions.append(button("Add an image by size", "m-add-image"), fileLabel, file, button("Remove message", "m-remove"));
  item.append(labelled("Role", select(ROLES, message.role, "m-role")), labelled("Content", content), images, actions);
  return item;
}

/** Messages of the editor as API messages: text, or text and image_url parts with their size. */
function messagesOf(list) {
  return [...list.querySelectorAll(".m-message")].map((item) => {
    const role = item.querySelector(".m-role").value;
    const text = item.querySelector(".m-content").value;
    const images = [...item.querySelectorAll(".m-image")].map((row, index) => ({
      type: "image_url",
      image_url: { url: `image-${index + 1}`, detail: row.querySelector(".i-detail").value },
      width: Number(row.querySelector(".i-width").value) || null,
      height: Number(row.querySelector(".i-height").value) || null,
    }));
    if (!images.length) return { role, content: text };
    return { role, content: [...(text ? [{ type: "text", text }] : []), ...images] };
  });
}

/** The editor's form of one parsed message: its text and its images' sizes. */
function editable(message) {
  if (!Array.isArray(message.content)) return { role: message.role, content: message.content ?? "" };
  const text = message.content.filter((p) => p.type === "text").map((p) => p.text).join("");
  const images = message.content.filter((p) => p.type === "image_url").map((p) => ({
    width: p.width ?? p.image_url?.width,
    height: p.height ?? p.image_url?.height,
    detail: p.image_url?.detail,
  }));
  return { role: message.role, content: text, images };
}

function imageSize(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve({ width: image.naturalWidth, height: image.naturalHeight });
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error(`${file.name} could not be read as an image.`));
    };
    image.src = url;
  });
}

/** Wire the editor: ``onChange(json)`` receives the conversation's JSON after every edit. */
export function bind({ $, textArea, onChange }) {
  const editor = $("message-editor");
  const list = $("message-list");
  const tools = $("message-tools");
  const problem = $("message-error");

  function write() {
    problem.hidden = true;
    const conversation = { messages: messagesOf(list) };
    const toolsText = tools.value.trim();
    if (toolsText) {
      try {
        conversation.tools = JSON.parse(toolsText);
      } catch (error) {
        problem.textContent = `The tools are not JSON (${error.message}).`;
        problem.hidden = false;
        return;
      }
    }
    onChange(JSON.stringify(conversation, null, 2));
  }

  function load() {
    list.replaceChildren();
    let parsed = null;
    try {
      parsed = textArea.value.trim() ? parse(textArea.value) : null;
    } catch {
      parsed = null; // prose in the box: start a new conversation with it as the user's message
    }
    const first = parsed && (parsed.conversations ? parsed.conversations[0] : parsed);
    if (first) {
      for (const message of first.messages) list.append(messageRow(editable(message)));
      tools.value = first.tools ? JSON.stringify(first.tools, null, 2) : "";
    } else {
      list.append(messageRow({ role: "system", content: "" }), messageRow({ role: "user", content: textArea.value }));
      tools.value = "";
    }
  }

  editor.addEventListener("toggle", () => {
    if (!editor.open) return;
    load();
    write();
  });
  $("add-message").addEventListener("click", () => {
    const last = [...list.querySelectorAll(".m-role")].pop();
    list.append(messageRow({ role: last && last.value === "user" ? "assistant" : "user", content: "" }));
    list.lastElementChild.querySelector(".m-content").focus();
    write();
  });
  list.addEventListener("input", write);
  list.addEventListener("change", async (event) => {
    if (!event.target.classList.contains("m-image-file")) return write();
    const file = event.target.files[0];
    if (!file) return;
    try {
      const size = await imageSize(file);
      event.target.closest(".m-message").querySelector(".m-images").append(imageRow(size));
      write();
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
    }
    event.target.value = "";
  });
  list.addEventListener("click", (event) => {
    const target = event.target;
    if (target.classList.contains("m-add-image")) target.closest(".m-message").querySelector(".m-images").append(imageRow());
    else if (target.classList.contains("i-remove")) target.closest(".m-image").remove();
    else if (target.classList.contains("m-remove")) target.closest(".m-message").remove();
    else return;
    write();
  });
  tools.addEventListener("input", write);
}
