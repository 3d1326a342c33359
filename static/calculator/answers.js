/* The estimates kept for the inputs on screen: the answer drawn and, fetched ahead while the page
 * is idle, the same inputs' answer for "All models" (docs/page.md, "All models fetched ahead").
 *
 * An answer is kept by its exact request body. Asking for a body whose inputs differ from the kept
 * ones (any field but `all_models`) cancels and forgets those, so an answer is never shown for
 * other inputs than the ones it was asked for. Asking for a body already asked for returns the same
 * promise: a tick of "All models" while its answer is on the way waits for that request and never
 * sends a second one. */
import { request } from "./api.js";

/** How long an answer is used again. Prices "now" are those of the moment it was asked for (the
 * answer says which); after this the inputs are asked for again. */
export const MAX_AGE_MS = 120_000;

const kept = new Map(); // body as JSON -> {inputs, controller, promise, answeredAt}

function inputsOf(body) {
  const { all_models: _all, ...inputs } = body;
  return JSON.stringify(inputs);
}

function fresh(entry) {
  return entry.answeredAt === null || performance.now() - entry.answeredAt < MAX_AGE_MS;
}

/** Cancel and forget every answer kept for other inputs than `body`'s (all of them without one). */
export function keepOnly(body) {
  const inputs = body ? inputsOf(body) : null;
  for (const [key, entry] of kept) {
    if (entry.inputs === inputs) continue;
    entry.controller.abort();
    kept.delete(key);
  }
}

/** The answer for `body`, prepared by `prepare` (once per answer): kept, on its way, or asked for
 * now. Rejects with an AbortError when other inputs are asked for before it arrives. */
export function answer(url, body, prepare) {
  keepOnly(body);
  const key = JSON.stringify(body);
  const found = kept.get(key);
  if (found && fresh(found)) return found.promise;
  kept.delete(key);
  const entry = { inputs: inputsOf(body), controller: new AbortController(), answeredAt: null };
  entry.promise = request("POST", url, body, entry.controller.signal).then(
    (data) => {
      entry.answeredAt = performance.now();
      return prepare(data);
    },
    (error) => {
      if (kept.get(key) === entry) kept.delete(key); // a failure is not kept: the next ask retries
      throw error;
    },
  );
  kept.set(key, entry);
  return entry.promise;
}

/** Whether an answer for `body` is kept or on its way (and still fresh). */
export function has(body) {
  const found = kept.get(JSON.stringify(body));
  return Boolean(found && fresh(found));
}
