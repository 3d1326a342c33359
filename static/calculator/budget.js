/* The budget chart: monthly cost per model as an inline SVG bar chart, cheapest first, with
 * a text table for screen readers and anyone who prefers numbers. */
import { decimalKeys, el, formatUsd } from "./format.js";
import { label } from "./table.js";

const SVG = "http://www.w3.org/2000/svg";
const BAR_HEIGHT = 18;
const GAP = 8;
const MAX_BARS = 60;
const CHAR_WIDTH = 7.6; // rough width of a 13px label character, to shorten long names

function svgEl(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function shorten(label, maxChars) {
  return label.length <= maxChars ? label : label.slice(0, Math.max(1, maxChars - 1)) + "…";
}

/** Rows with a monthly cost, cheapest first (exact decimal comparison). */
export function chartRows(rows) {
  const priced = rows.filter((row) => row.monthly_usd !== null && row.monthly_usd !== undefined);
  const keys = decimalKeys(priced.map((row) => row.monthly_usd));
  return priced
    .map((row, index) => index)
    .sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b))
    .map((index) => priced[index]);
}

function barLabel(row) {
  return label(row);
}

/** Draw the chart of `rows` (chartRows' output: priced, cheapest first) into `holder`, replacing
 * what was there; returns the number of bars. */
export function drawChart(holder, rows, { width, caption, cheapest }) {
  const all = rows;
  const data = all.slice(0, MAX_BARS);
  if (!data.length) {
    holder.replaceChildren(el("p", "muted", "No monthly costs to chart yet."));
    return 0;
  }
  const total = Math.max(300, Math.floor(width));
  const labelWidth = Math.min(240, Math.floor(total * 0.42));
  const valueWidth = 84;
  const barSpace = total - labelWidth - valueWidth - 8;
  const height = data.length * (BAR_HEIGHT + GAP) + GAP;
  // Proportions are for drawing only; the numbers shown are the exact strings, rounded as text.
  const largest = Math.max(...data.map((row) => Number(row.monthly_usd))) || 1;

  const svg = svgEl("svg", {
    width: total, height, viewBox: `0 0 ${total} ${height}`, role: "img",
    "aria-labelledby": "chart-svg-title", class: "bar-chart",
  });
  svg.append(svgEl("title", { id: "chart-svg-title" }, caption));
  data.forEach((row, index) => {
    const y = GAP + index * (BAR_HEIGHT + GAP);
    const barWidth = Math.max(1, (Number(row.monthly_usd) / largest) * barSpace);
    const key = `${row.provider}/${row.model}`;
    const group = svgEl("g", { class: key === cheapest ? "bar bar-best" : "bar", "data-key": key });
    const text = `${barLabel(row)}: ${formatUsd(row.monthly_usd)} a month`;
    group.append(
      svgEl("title", {}, text),
      svgEl("text", { x: labelWidth - 6, y: y + BAR_HEIGHT - 5, "text-anchor": "end", class: "bar-label" },
        shorten(barLabel(row), Math.floor(labelWidth / CHAR_WIDTH))),
      svgEl("rect", { x: labelWidth, y, width: barWidth.toFixed(1), height: BAR_HEIGHT, rx: 3 }),
      svgEl("text", { x: labelWidth + barWidth + 4, y: y + BAR_HEIGHT - 5, class: "bar-value" },
        formatUsd(row.monthly_usd)),
    );
    svg.append(group);
  });
  const parts = [svg];
  if (all.length > MAX_BARS) {
    parts.push(el("p", "muted small", `The ${MAX_BARS} cheapest are drawn; the table has them all.`));
  }
  holder.replaceChildren(...parts);
  return data.length;
}

/** The same numbers as a table (inside a <details> under the chart): the bars drawn, cheapest first
 * (`rows`: chartRows' output). */
export function fillChartTable(tbody, rows) {
  const fragment = document.createDocumentFragment();
  for (const row of rows.slice(0, MAX_BARS)) {
    const tr = el("tr");
    const value = el("td", "num", formatUsd(row.monthly_usd));
    value.title = `Exactly $${row.monthly_usd}`;
    tr.append(el("td", null, barLabel(row)), value);
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
}

