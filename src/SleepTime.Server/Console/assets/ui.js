// Small DOM helpers: elements from data, never from HTML strings (no markup injection from stored text).
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const number = (value) => value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
export const tokens = (usage) => usage ? number(usage.total_tokens ?? (usage.input_tokens + usage.output_tokens)) : '–';
export function time(value) {
  if (!value) return '–';
  const date = new Date(value);
  return date.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' }) + ' UTC';
}

export const status = (value) => h('span', { class: `status status-${value}`, dataset: { status: value } }, value);

/** A problem shown as its title and detail (and the field it names). */
export function errorBox(error) {
  const title = error?.title ?? 'Something went wrong';
  const detail = error?.detail ?? (error?.title ? '' : String(error?.message ?? error));
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, title), detail, error?.field ? h('div', { class: 'mono' }, `field: ${error.field}`) : null);
}

export function table(headers, rows, props = {}) {
  return h('div', { class: 'table-wrap' }, h('table', props,
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col', class: header.endsWith('#') ? 'num' : null }, header.replace(/#$/, ''))))),
    rows instanceof HTMLTableSectionElement ? rows : h('tbody', {}, rows)));
}

export function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), children);
}

/** Runs an action from a button: disables it meanwhile and shows a refusal next to it. */
export async function act(button, slot, action) {
  button.disabled = true;
  slot.replaceChildren();
  try { return await action(); } catch (error) { slot.replaceChildren(errorBox(error)); return undefined; } finally { button.disabled = false; }
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '–')]));
}

/** A side-by-side view of a line diff ({op: ' ' | '-' | '+', text}): removals beside the additions that replace them. */
export function sideBySide(lines, fromLabel, toLabel) {
  const rows = [];
  for (let i = 0; i < lines.length;) {
    if (lines[i].op === ' ') { rows.push([lines[i], lines[i]]); i++; continue; }
    const removed = [], added = [];
    while (i < lines.length && lines[i].op === '-') removed.push(lines[i++]);
    while (i < lines.length && lines[i].op === '+') added.push(lines[i++]);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push([removed[k] ?? null, added[k] ?? null]);
  }

  const cell = (line, side) => line === null
    ? h('td', { class: 'gap' }, '')
    : h('td', { class: line.op === ' ' ? null : side, 'aria-label': line.op === ' ' ? null : (side === 'del' ? 'removed' : 'added') }, line.text);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'diff', 'aria-label': `Diff of ${fromLabel} and ${toLabel}` },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, fromLabel), h('th', { scope: 'col' }, toLabel))),
    h('tbody', {}, rows.map(([left, right]) => h('tr', {}, cell(left, 'del'), cell(right, 'ins'))))));
}

/** A unified diff (a change set's per-block diff) with its added and removed lines marked. */
export function unifiedDiff(text) {
  return h('div', { class: 'udiff' }, (text ?? '').split('\n').filter((line, i, all) => line !== '' || i < all.length - 1).map((line) =>
    h('div', { class: line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@') ? 'hdr' : line.startsWith('+') ? 'ins' : line.startsWith('-') ? 'del' : null }, line || ' ')));
}

/** Calls fn at most once per wait, after the last request (to refresh after a burst of events). */
export function debounce(fn, wait = 250) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait); };
}

/** A table body of runs that events keep current: rows keyed by run id, newest first. */
export function runRows(tbody, { showSleeper = false } = {}) {
  const render = (run) => h('tr', { dataset: { runId: run.id } },
    h('td', { class: 'mono' }, run.id),
    showSleeper ? h('td', {}, run.kind === 'context' ? h('a', { href: `/contexts/${encodeURIComponent(run.sleeper_id)}` }, run.sleeper_id)
      : h('a', { href: `/agents/${encodeURIComponent(run.memory_id)}` }, run.sleeper_id)) : null,
    h('td', {}, status(run.status)),
    h('td', {}, run.trigger),
    h('td', {}, run.reason ?? run.error ?? ''),
    h('td', { class: 'num' }, run.attempt),
    h('td', { class: 'num' }, tokens(run.usage)),
    h('td', {}, time(run.queued_at)),
    h('td', {}, time(run.finished_at)));
  // A run only moves forward (queued, running, final): a late reply (the trigger's 202) never undoes an event.
  const rank = (value) => value === 'queued' ? 0 : value === 'running' ? 1 : 2;
  const shown = new Map();
  return {
    set(runs) {
      // A list read while events arrive: a run an event already moved further keeps the event's state.
      const merged = runs.map((run) => { const seen = shown.get(run.id); return seen && rank(seen.status) > rank(run.status) ? seen : run; });
      const listed = new Set(merged.map((run) => run.id));
      const newer = [...shown.values()].filter((run) => !listed.has(run.id));
      shown.clear();
      [...newer, ...merged].forEach((run) => shown.set(run.id, run));
      tbody.replaceChildren(...[...newer, ...merged].map(render));
    },
    upsert(run) {
      const before = shown.get(run.id);
      if (before && rank(before.status) > rank(run.status)) return;
      shown.set(run.id, run);
      const row = render(run);
      const existing = tbody.querySelector(`tr[data-run-id="${CSS.escape(run.id)}"]`);
      if (existing) existing.replaceWith(row); else tbody.prepend(row);
    },
  };
}

export const runHeaders = (showSleeper) => ['Run', ...(showSleeper ? ['Sleeper'] : []), 'Status', 'Trigger', 'Reason', 'Attempt#', 'Tokens#', 'Queued', 'Finished'];

/**
 * Subscribes before the page reads its data, so no event falls between the read and the stream: resolves once the
 * stream is live (or refused, or after a few seconds without an answer, so a page never waits on it for long).
 */
export function liveStream(subscribeTo, path, onEvent, { signal, setLive, onError }) {
  let markReady;
  const ready = new Promise((resolve) => { markReady = resolve; });
  const stop = subscribeTo(path, onEvent, (state, error) => {
    setLive(state);
    if (state === 'live' || state === 'error') markReady();
    if (error) onError?.(error);
  });
  signal.addEventListener('abort', stop);
  return Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 3000))]);
}
