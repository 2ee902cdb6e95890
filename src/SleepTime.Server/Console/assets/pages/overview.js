// Overview: the tenant's counts, runs in flight, today's tokens, amortized cost against the baseline, a chart per day,
// contexts (paged), agents and recent runs, kept current from the tenant's event stream.
import { api, subscribe } from '../api.js';
import { h, number, time, errorBox, table, section, act, debounce, runRows, runHeaders, liveStream } from '../ui.js';

let chartLibrary = null;
function loadChartLibrary() {
  chartLibrary ??= new Promise((resolve, reject) => {
    document.head.append(h('link', { rel: 'stylesheet', href: '/console/vendor/uPlot.min.css' }));
    document.head.append(h('script', { src: '/console/vendor/uPlot.iife.min.js', onload: () => resolve(window.uPlot), onerror: reject }));
  });
  return chartLibrary;
}

const stat = (label, value, sub, key) => h('div', { class: 'stat', dataset: { stat: key } }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);

export async function render(main, { signal, setLive, navigate }) {
  const runBody = h('tbody', {});
  const runTable = runRows(runBody, { showSleeper: true });
  let showStats = null;
  const problems = h('div', {});
  const refresh = debounce(async () => {
    try {
      const [o, u] = await Promise.all([api('/overview', { signal }), api('/usage', { signal })]);
      showStats?.(o, u);
    } catch (error) {
      if (!signal.aborted) problems.replaceChildren(errorBox(error));
    }
  }, 400);
  await liveStream(subscribe, '/events', ({ type, event }) => {
    if (type.startsWith('run.')) { runTable.upsert(event.data); refresh(); }
    if (type === 'memory.updated') refresh();
  }, { signal, setLive, onError: (error) => problems.replaceChildren(errorBox(error)) });

  const [overview, usage, contexts, agents, runs] = await Promise.all([
    api('/overview', { signal }), api('/usage', { signal }), api('/contexts?limit=50', { signal }), api('/agents?limit=100', { signal }), api('/runs?limit=20', { signal }),
  ]);

  const stats = h('div', { class: 'stats', 'aria-label': 'Totals' });
  showStats = (o, u) => stats.replaceChildren(
    stat('Contexts', number(o.contexts), null, 'contexts'),
    stat('Agents', number(o.agents), null, 'agents'),
    stat('Runs in flight', number(o.runs_queued + o.runs_running), `${number(o.runs_queued)} queued · ${number(o.runs_running)} running`, 'in-flight'),
    stat('Sleep tokens today', number(o.sleep_tokens_today), `${number(u.sleep_runs)} sleep runs in all`, 'sleep-today'),
    stat('Test tokens today', number(o.test_tokens_today), `${number(o.queries_today)} queries today`, 'test-today'),
    stat('Cost per query', u.amortized_cost_per_query === null ? '–' : number(u.amortized_cost_per_query),
      u.baseline_cost_per_query === null ? 'no baseline queries yet' : `baseline ${number(u.baseline_cost_per_query)}`, 'cost'),
    stat('Estimated savings / query', u.estimated_savings_per_query === null ? '–' : number(u.estimated_savings_per_query), `sleep-token units (a test token = ${number(u.cost_ratio)})`, 'savings'));
  showStats(overview, usage);

  const chart = h('div', { class: 'chart', role: 'img', 'aria-label': 'Sleep and test tokens per day' });
  const chartTable = h('details', {}, h('summary', {}, 'Show as a table'));
  const drawChart = async (o) => {
    chartTable.replaceChildren(h('summary', {}, 'Show as a table'), table(['Day', 'Sleep tokens#', 'Test tokens#', 'Queries#', 'Sleep runs#'],
      o.days.map((d) => h('tr', {}, h('td', {}, d.day), h('td', { class: 'num' }, number(d.sleep_tokens)), h('td', { class: 'num' }, number(d.test_tokens)), h('td', { class: 'num' }, number(d.queries)), h('td', { class: 'num' }, number(d.sleep_runs))))));
    try {
      const uPlot = await loadChartLibrary();
      if (signal.aborted) return;
      const x = o.days.map((d) => Date.parse(d.day + 'T00:00:00Z') / 1000);
      chart.replaceChildren();
      new uPlot({
        width: Math.max(240, chart.clientWidth), height: 220,
        series: [{}, { label: 'Sleep tokens', stroke: '#2f5fd0', width: 2 }, { label: 'Test tokens', stroke: '#b42318', width: 2 }],
        axes: [{}, { size: 70 }],
        scales: { x: { time: true } },
      }, [x, o.days.map((d) => d.sleep_tokens), o.days.map((d) => d.test_tokens)], chart);
    } catch {
      chart.replaceChildren(h('p', { class: 'muted' }, 'The chart could not be drawn; the table below has the same figures.'));
    }
  };

  // Contexts: a page of 50 at a time, by cursor.
  const contextBody = h('tbody', {});
  const contextRow = (c) => h('tr', { dataset: { contextId: c.id } },
    h('td', {}, h('a', { href: `/contexts/${encodeURIComponent(c.id)}` }, c.id)), h('td', {}, c.kind), h('td', { class: 'num' }, c.version),
    h('td', { class: 'num' }, c.learned_version ?? '–'), h('td', { class: 'num' }, number(c.length)), h('td', {}, time(c.updated_at)));
  contextBody.append(...contexts.items.map(contextRow));
  let cursor = contexts.next_cursor;
  const moreSlot = h('div', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: !cursor, onclick: () => act(more, moreSlot, async () => {
    const page = await api(`/contexts?limit=50&cursor=${encodeURIComponent(cursor)}`, { signal });
    contextBody.append(...page.items.map(contextRow));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }) }, 'Load more contexts');

  const newId = h('input', { id: 'new-context-id', name: 'id', placeholder: 'handbook', maxlength: 128 });
  const newText = h('textarea', { id: 'new-context-text', name: 'text', required: true, placeholder: 'The context the model studies while idle' });
  const createSlot = h('div', {});
  const createButton = h('button', { type: 'submit' }, 'Create context');
  const createForm = h('form', { onsubmit: (event) => {
    event.preventDefault();
    act(createButton, createSlot, async () => {
      const body = { text: newText.value };
      if (newId.value.trim()) body.id = newId.value.trim();
      const created = await api('/contexts', { method: 'POST', body });
      navigate(`/contexts/${encodeURIComponent(created.id)}`);
    });
  } }, h('div', { class: 'row' }, h('label', { for: 'new-context-id' }, 'Id (optional)', newId)), h('label', { for: 'new-context-text' }, 'Text', newText), h('p', {}, createButton), createSlot);

  const agentRows = agents.map((a) => h('tr', {}, h('td', {}, h('a', { href: `/agents/${encodeURIComponent(a.id)}` }, a.name || a.id)), h('td', { class: 'mono' }, a.id),
    h('td', { class: 'num' }, a.block_ids.length), h('td', { class: 'num' }, a.sleep_time_agents?.length ?? '–'), h('td', {}, time(a.created_at))));

  runTable.set(runs);

  main.append(
    h('h1', {}, 'Overview'),
    problems,
    stats,
    section('usage-chart', `Tokens per day (last ${overview.days.length} days, UTC)`, chart, chartTable),
    h('div', { class: 'grid' },
      section('contexts', 'Contexts', contexts.items.length === 0 ? h('p', { class: 'muted' }, 'No contexts yet.') : null,
        table(['Id', 'Kind', 'Version#', 'Learned#', 'Characters#', 'Updated'], contextBody), h('div', { class: 'pager' }, more), moreSlot),
      section('new-context', 'Create a context', createForm)),
    section('agents', 'Agents', agents.length === 0 ? h('p', { class: 'muted' }, 'No agents yet.') : table(['Name', 'Id', 'Blocks#', 'Sleep-time agents#', 'Created'], agentRows)),
    section('runs', 'Recent runs', table(runHeaders(true), runBody)));
  drawChart(overview);
}
