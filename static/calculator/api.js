/* The JSON API client: one request per purpose in flight; a newer one aborts the older (the
 * estimate's requests are kept by answers.js). The URLs
 * come from the page (data-*-url attributes written with {% url %}), never from this file. */

/** An API refusal: `field` names the input it is about (may be null). */
export class ApiError extends Error {
  constructor(message, { status = 0, code = "", field = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export async function request(method, url, body, signal) {
  let response;
  try {
    response = await fetch(url, {
      method,
      signal,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("The server could not be reached. Check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error;
  }
  if (!response.ok) {
    const detail = (data && data.error) || {};
    const fallback = response.status === 413 ? "The text is too large." : `The server answered ${response.status}.`;
    throw new ApiError(detail.message || fallback, {
      status: response.status,
      code: detail.code || "",
      field: detail.field || null,
    });
  }
  return data;
}

/** A channel keeps one request alive: sending again (or abort()) cancels the previous one. */
export function channel() {
  let controller = null;
  function abort() {
    if (controller) controller.abort();
    controller = null;
  }
  function send(method, url, body) {
    abort();
    const own = new AbortController();
    controller = own;
    return request(method, url, body, own.signal).finally(() => {
      if (controller === own) controller = null;
    });
  }
  return { send, abort };
}

export function isAbort(error) {
  return error && error.name === "AbortError";
}

export const tokenizeChannel = channel();
export const pinsChannel = channel();
