/* Display formatting. Money arrives as exact decimal strings ("0.00017187"); it is rounded for
 * display on the digits themselves (BigInt), never through floating point, and the exact string
 * stays available in a title/data attribute. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Round a decimal string half-up to `places` decimals; returns a decimal string. */
export function roundDecimal(value, places) {
  const match = DECIMAL.exec(String(value));
  if (!match) return String(value);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length <= places) {
    return sign + whole + (places ? "." + fraction.padEnd(places, "0") : "");
  }
  const scale = 10n ** BigInt(fraction.length - places);
  let units = BigInt(whole + fraction);
  const rest = units % scale;
  units = units / scale + (rest * 2n >= scale ? 1n : 0n);
  const digits = units.toString().padStart(places + 1, "0");
  const head = digits.slice(0, digits.length - places);
  return sign + head + (places ? "." + digits.slice(digits.length - places) : "");
}

function groupThousands(whole) {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "$1,234.57" for amounts of a dollar or more; three significant digits below a dollar; "$0".
 * The same rule as usd_short() in pricing/bill/money.py. */
export function formatUsd(value) {
  if (value === null || value === undefined || value === "") return "—";
  const match = DECIMAL.exec(String(value));
  if (!match) return String(value);
  const [, , whole, fraction = ""] = match;
  let places = 2;
  if (/^0+$/.test(whole)) {
    const firstDigit = fraction.search(/[1-9]/);
    if (firstDigit === -1) return "$0";
    places = Math.max(2, firstDigit + 3);
  }
  const [head, tail = ""] = roundDecimal(value, places).split(".");
  return "$" + groupThousands(head) + "." + tail.replace(/0+$/, "").padEnd(2, "0");
}

// Currencies without a minor unit (ISO 4217), as pricing/bill/money.py's MINOR_UNITS.
const NO_MINOR_UNIT = new Set(["JPY", "KRW", "ISK", "CLP", "VND"]);

function currencyMark(currency) {
  const part = new Intl.NumberFormat("en", { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency");
  return part && part.value !== currency ? part.value : `${currency} `;
}

/** formatUsd's rule in any currency, as money_short() in pricing/bill/money.py: from one unit up,
 * rounded to the currency's minor unit ("¥1,235", "€1,234.57"); below one unit, three significant
 * digits ("€0.000453"). Rounding is on the decimal digits, never through floating point. */
export function formatMoney(value, currency) {
  if (!currency || currency === "USD") return formatUsd(value);
  if (value === null || value === undefined || value === "") return "—";
  const match = DECIMAL.exec(String(value));
  if (!match) return String(value);
  const [, sign, whole, fraction = ""] = match;
  const mark = currencyMark(currency);
  if (/^0+$/.test(whole)) {
    const firstDigit = fraction.search(/[1-9]/);
    if (firstDigit === -1) return `${mark}0`;
    const rounded = roundDecimal(value.replace(/^-/, ""), Math.max(2, firstDigit + 3));
    if (!rounded.startsWith("0")) return sign + mark + groupThousands(roundDecimal(rounded, NO_MINOR_UNIT.has(currency) ? 0 : 2));
    const [head, tail = ""] = rounded.split(".");
    return sign + mark + head + "." + tail.replace(/0+$/, "").padEnd(2, "0");
  }
  const places = NO_MINOR_UNIT.has(currency) ? 0 : 2;
  const [head, tail] = roundDecimal(value.replace(/^-/, ""), places).split(".");
  return sign + mark + groupThousands(head) + (tail ? "." + tail : "");
}

export function formatInt(value) {
  if (value === null || value === undefined) return "—";
  return groupThousands(String(value));
}

export function formatBytes(bytes) {
  if (bytes < 1024) return bytes + " bytes";
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
  return (bytes / (1024 * 1024)).toFixed(1) + " MB";
}

/** Compare two decimal strings exactly (for sorting): -1, 0 or 1. Nulls sort last. */
export function compareDecimal(a, b) {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  const places = Math.max(fractionLength(a), fractionLength(b));
  const x = BigInt(roundDecimal(a, places).replace(".", ""));
  const y = BigInt(roundDecimal(b, places).replace(".", ""));
  return x < y ? -1 : x > y ? 1 : 0;
}

function fractionLength(value) {
  const match = DECIMAL.exec(String(value));
  return match && match[3] ? match[3].length : 0;
}

/** Create an element with a class and text (always textContent: user text never becomes HTML). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}


/** Exact sort keys for many decimal strings at once: each as a BigInt at the largest scale among
 * them (null stays null). Parsing once per value, not once per comparison, keeps a 2,000-row sort
 * to a few milliseconds. */
export function decimalKeys(values) {
  let places = 0;
  for (const value of values) if (value !== null && value !== undefined) places = Math.max(places, fractionLength(value));
  return values.map((value) => {
    if (value === null || value === undefined) return null;
    const match = DECIMAL.exec(String(value));
    if (!match) return null;
    const [, sign, whole, fraction = ""] = match;
    return BigInt(sign + whole + fraction.padEnd(places, "0")); // no rounding: every value has <= places digits
  });
}
