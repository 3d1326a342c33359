/* The column chooser: which of the table's columns are shown. The default set (the checkboxes
 * the template ticks) fits a 1366 px screen; the other columns stay one tick away. A choice is
 * remembered in this browser (localStorage) and kept in the link (?cols=name,name: the columns
 * shown), which wins over the browser's memory so a shared link shows the same table. */
const STORAGE_KEY = "calculator.columns";

/** Names of the columns hidden now. */
export const hidden = new Set();
let menu = null;

function boxes() {
  return [...menu.querySelectorAll("input[type=checkbox][name=column]")];
}

function defaultShown() {
  return boxes().filter((box) => box.defaultChecked).map((box) => box.value);
}

function stored() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value ? value.split(",") : null;
  } catch {
    return null; // storage refused (private mode, policy): the default set
  }
}

function remember(shown) {
  try {
    window.localStorage.setItem(STORAGE_KEY, shown.join(","));
  } catch {
    // Not remembered in this browser; the link still carries it.
  }
}

function shownNow() {
  return boxes().filter((box) => box.checked).map((box) => box.value);
}

function setShown(names) {
  const known = new Set(boxes().map((box) => box.value));
  const wanted = new Set(names.filter((name) => known.has(name)));
  hidden.clear();
  for (const box of boxes()) {
    box.checked = box.disabled || wanted.has(box.value);
    if (!box.checked) hidden.add(box.value);
  }
}

/** Read the choice: the link's, else this browser's, else the default set. */
export function init(menuNode, params) {
  menu = menuNode;
  const fromLink = params.get("cols");
  setShown(fromLink ? fromLink.split(",") : stored() || defaultShown());
}

export function writeColumns(params) {
  const shown = shownNow();
  if (shown.join(",") !== defaultShown().join(",")) params.set("cols", shown.join(","));
}

/** Show or hide the header cells and every drawn cell of each column (no re-render). */
export function apply(table) {
  for (const th of table.querySelectorAll("thead th[data-sort]")) th.hidden = hidden.has(th.dataset.sort);
  for (const td of table.tBodies[0].querySelectorAll("td[data-col]")) td.hidden = hidden.has(td.dataset.col);
  const placeholder = table.tBodies[0].querySelector("tr.placeholder td");
  if (placeholder) placeholder.colSpan = table.querySelectorAll("thead th[data-sort]:not([hidden])").length;
}

/** Wire the checkboxes and the reset button; `onChange` runs after each change is applied. */
export function bind(table, onChange) {
  menu.addEventListener("change", (event) => {
    if (event.target.name !== "column") return;
    setShown(shownNow());
    remember(shownNow());
    apply(table);
    onChange();
  });
  menu.querySelector("button[data-reset]").addEventListener("click", () => {
    setShown(defaultShown());
    remember(shownNow());
    apply(table);
    onChange();
  });
  apply(table);
}
