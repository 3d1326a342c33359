/* Conversation mode: the text box holds JSON instead of prose. One conversation is an array of
 * OpenAI-style messages or {"messages": [...], "tools": [...]}; a .jsonl log holds one such
 * conversation per line, and the estimate then gives per-request averages. */
import { ApiError } from "./api.js";

function one(value, where) {
  if (Array.isArray(value)) return { messages: value };
  if (value && typeof value === "object" && Array.isArray(value.messages)) {
    return value.tools === undefined ? { messages: value.messages } : { messages: value.messages, tools: value.tools };
  }
  throw new ApiError(`${where}: expected a list of messages or {"messages": [...]}.`, { field: "text" });
}

/** The estimate body's conversation fields from the text box, or an ApiError naming the text. */
export function parse(text) {
  const trimmed = text.trim();
  if (!trimmed) throw new ApiError("Paste a conversation as JSON, or drop a .json or .jsonl file.", { field: "text" });
  try {
    return one(JSON.parse(trimmed), "The JSON");
  } catch (error) {
    if (error instanceof ApiError) throw error;
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim());
  const conversations = lines.map((line, index) => {
    try {
      return one(JSON.parse(line), `Line ${index + 1}`);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(`Line ${index + 1} is not JSON (${error.message}).`, { field: "text" });
    }
  });
  return conversations.length === 1 ? conversations[0] : { conversations };
}

/** Whether a dropped file's text looks like a conversation (so the page switches mode). */
export function looks(text) {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}
