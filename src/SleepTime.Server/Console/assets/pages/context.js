// A context: content (paged), the learned context now, versions with provenance and a side-by-side diff of any two,
// runs (live), queries with the learned version each used, the schedule (editable), "Sleep now", and asking at a
// chosen budget beside the baseline.
import { api, subscribe } from '../api.js';
import { h, number, tokens, time, errorBox, table, section, act, facts, sideBySide, debounce, runRows, runHeaders, liveStream } from '../ui.js';

const PAGE = 20;

export async function render(main, { id, signal, setLive }) {
  const path = `/contexts/${encodeURIComponent(id)}`;
  let context = await api(`${path}?entries=false`, { signal });

  const header = h('div', {});
  const showHeader = () => header.replaceChildren(
    h('h1', {}, context.id),
    facts([['Kind', context.kind], ['Version', context.version], ['Characters', number(context.length)], ['Turns', number(context.turns)],
      ['Read by sleep up to', `version ${context.processed_version}`], ['Learned version', context.learned_version ?? 'none yet'], ['Updated', time(context.updated_at)]]));
  showHeader();

  const sleepSlot = h('div', {});
  const sleepButton = h('button', { type: 'button', id: 'sleep-now', onclick: () => act(sleepButton, sleepSlot, async () => {
    runTable.upsert(await api(`${path}/runs`, { method: 'POST' }));
  }) }, 'Sleep now');

  // Learned context now and its versions.
  const learnedSlot = h('div', {});
  const versionsSlot = h('div', {});
  const fromSelect = h('select', { id: 'diff-from', name: 'from' });
  const toSelect = h('select', { id: 'diff-to', name: 'to' });
  const diffSlot = h('div', { id: 'diff-view' });
  const diffButton = h('button', { type: 'submit' }, 'Compare');
  const diffForm = h('form', { class: 'inline', onsubmit: (event) => {
    event.preventDefault();
    act(diffButton, diffSlot, async () => {
      const diff = await api(`${path}/learned/diff?from=${fromSelect.value}&to=${toSelect.value}`, { signal });
      const changed = diff.lines.filter((l) => l.op !== ' ').length;
      diffSlot.replaceChildren(h('p', { class: 'muted' }, `${changed} line(s) differ between version ${diff.from} and version ${diff.to}.`), sideBySide(diff.lines, `Version ${diff.from}`, `Version ${diff.to}`));
    });
  } }, h('label', { for: 'diff-from' }, 'From', fromSelect), h('label', { for: 'diff-to' }, 'To', toSelect), diffButton);

  const loadLearned = async () => {
    const history = await api(`${path}/learned/history`, { signal });
    if (history.length === 0) {
      learnedSlot.replaceChildren(h('p', { class: 'muted' }, 'Nothing learned yet: the context sleeps on its schedule, or press "Sleep now".'));
      versionsSlot.replaceChildren(h('p', { class: 'muted' }, 'No versions yet.'));
      diffForm.hidden = true;
      return;
    }

    const versions = [...history].sort((a, b) => b.version - a.version);
    const now = versions[0];
    learnedSlot.replaceChildren(
      h('p', { class: 'muted' }, `Version ${now.version}, learned from context version ${now.provenance.source_version}, ${time(now.provenance.created_at)}.`),
      ...now.blocks.map((block) => h('div', { dataset: { learnedBlock: block.label } }, h('h3', {}, block.label), h('pre', {}, block.value))));
    versionsSlot.replaceChildren(table(['Version#', 'Source version#', 'Model', 'Prompt', 'Runs (k)#', 'Incremental', 'Input#', 'Output#', 'Total tokens#', 'Created'],
      versions.map((v) => h('tr', { dataset: { version: v.version } },
        h('td', { class: 'num' }, v.version), h('td', { class: 'num' }, v.provenance.source_version), h('td', {}, v.provenance.model ?? '–'),
        h('td', {}, `${v.provenance.prompt_id} v${v.provenance.prompt_version}`), h('td', { class: 'num' }, v.provenance.runs),
        h('td', {}, v.provenance.incremental ? `yes, on v${v.provenance.previous_version}` : 'no'),
        h('td', { class: 'num' }, number(v.provenance.usage.input_tokens)), h('td', { class: 'num' }, number(v.provenance.usage.output_tokens)),
        h('td', { class: 'num' }, tokens(v.provenance.usage)), h('td', {}, time(v.provenance.created_at))))));
    const keepFrom = fromSelect.value, keepTo = toSelect.value;
    const options = (select) => select.replaceChildren(...versions.map((v) => h('option', { value: v.version }, `Version ${v.version}`)));
    options(fromSelect);
    options(toSelect);
    fromSelect.value = keepFrom && versions.some((v) => String(v.version) === keepFrom) ? keepFrom : String(versions[Math.min(1, versions.length - 1)].version);
    toSelect.value = keepTo && versions.some((v) => String(v.version) === keepTo) ? keepTo : String(now.version);
    diffForm.hidden = versions.length < 2;
  };

  // Runs, kept current by the context's event stream.
  const runBody = h('tbody', {});
  const runTable = runRows(runBody);
  const loadRuns = async () => runTable.set(await api(`${path}/runs?limit=50`, { signal }));

  // Queries, with the learned version each used.
  const queriesSlot = h('div', {});
  const loadQueries = async () => {
    const queries = await api(`${path}/queries?limit=50`, { signal });
    queriesSlot.replaceChildren(queries.length === 0 ? h('p', { class: 'muted' }, 'No queries yet.') : table(['Asked', 'Question', 'Arm', 'Learned version#', 'Context version#', 'Input#', 'Output#', 'Answer'],
      queries.map((q) => h('tr', {}, h('td', {}, time(q.created_at)), h('td', {}, q.question ?? ''), h('td', {}, q.arm), h('td', { class: 'num' }, q.learned_version ?? 'none'),
        h('td', { class: 'num' }, q.context_version), h('td', { class: 'num' }, number(q.usage.input_tokens)), h('td', { class: 'num' }, number(q.usage.output_tokens)),
        h('td', {}, (q.final_answer ?? q.answer ?? '').slice(0, 160))))));
  };

  // Ask at a chosen budget, beside the baseline.
  const question = h('textarea', { id: 'ask-question', name: 'question', required: true, placeholder: 'Ask about this context' });
  const verbosity = h('select', { id: 'ask-verbosity', name: 'verbosity' }, [0, 1, 2, 3, 4].map((v) => h('option', { value: v, selected: v === 3 }, String(v))));
  const maxTokens = h('input', { id: 'ask-max-tokens', name: 'max_tokens', type: 'number', min: 1, placeholder: 'none' });
  const withBaseline = h('input', { id: 'ask-baseline', type: 'checkbox', checked: true });
  const answers = h('div', { class: 'answers', 'aria-live': 'polite' });
  const askButton = h('button', { type: 'submit' }, 'Ask');
  const answerCard = (title, a) => h('div', { class: 'card', dataset: { arm: a.arm } }, h('h3', {}, title), h('pre', {}, a.answer),
    facts([['Final answer', a.final_answer ?? '–'], ['Input tokens', number(a.usage.input_tokens)], ['Output tokens', number(a.usage.output_tokens)], ['Total tokens', tokens(a.usage)],
      ['Learned version used', a.learned_version ?? 'none'], ['Latency', `${number(a.latency_ms)} ms`]]));
  const askForm = h('form', { onsubmit: (event) => {
    event.preventDefault();
    act(askButton, answers, async () => {
      const budget = { verbosity: Number(verbosity.value) };
      if (maxTokens.value) budget.max_tokens = Number(maxTokens.value);
      const ask = (arm) => api(`${path}/queries`, { method: 'POST', body: { question: question.value, arm, budget } });
      const [sleepTime, baseline] = await Promise.all([ask('sleep_time'), withBaseline.checked ? ask('baseline') : Promise.resolve(null)]);
      answers.replaceChildren(answerCard('With the learned context (sleep-time)', sleepTime), baseline ? answerCard('Baseline (raw context only)', baseline) : null);
      loadQueries().catch(() => {});
    });
  } }, h('label', { for: 'ask-question' }, 'Question', question),
  h('div', { class: 'row' }, h('label', { for: 'ask-verbosity' }, 'Verbosity (0-4)', verbosity), h('label', { for: 'ask-max-tokens' }, 'Max output tokens', maxTokens),
    h('label', { class: 'check', for: 'ask-baseline' }, withBaseline, 'Also ask the baseline'), askButton), answers);

  // The schedule, editable: the fields shown are merged into the current policy, which is replaced whole.
  const scheduleSlot = h('div', {});
  const scheduleNote = h('div', { 'aria-live': 'polite' });
  const loadSchedule = async () => {
    const policy = await api(`${path}/schedule`, { signal });
    const field = (name, label, type = 'number') => {
      const input = type === 'checkbox'
        ? h('input', { id: `schedule-${name}`, name, type, checked: !!policy[name] })
        : h('input', { id: `schedule-${name}`, name, type, value: policy[name] ?? '', step: type === 'number' ? 'any' : null });
      return [input, h('label', { for: input.id, class: type === 'checkbox' ? 'check' : null }, type === 'checkbox' ? [input, label] : [label, input])];
    };
    const fields = [field('on_change', 'Sleep on change', 'checkbox'), field('debounce_seconds', 'Debounce (s)'), field('max_wait_seconds', 'Max wait (s)'),
      field('every_turns', 'Every N user turns'), field('idle_seconds', 'Idle after (s)'), field('cron', 'Cron (Quartz)', 'text'),
      field('daily_token_cap', 'Daily token cap'), field('runs', 'Runs (k)')];
    const save = h('button', { type: 'submit' }, 'Save schedule');
    scheduleSlot.replaceChildren(h('form', { onsubmit: (event) => {
      event.preventDefault();
      act(save, scheduleNote, async () => {
        const next = { ...policy };
        for (const [input] of fields) {
          if (input.type === 'checkbox') next[input.name] = input.checked;
          else if (input.value === '') next[input.name] = input.name === 'cron' || input.name === 'daily_token_cap' ? null : policy[input.name];
          else next[input.name] = input.type === 'number' ? Number(input.value) : input.value;
        }

        Object.assign(policy, await api(`${path}/schedule`, { method: 'PUT', body: next }));
        scheduleNote.replaceChildren(h('p', { class: 'note' }, 'Schedule saved.'));
      });
    } }, h('div', { class: 'row' }, fields.map(([, label]) => label)), h('p', {}, save)));
  };

  // Content, one page of entries at a time, read from the server page by page.
  const contentSlot = h('div', {});
  let first = 0;
  const loadContent = async () => {
    let page = await api(`${path}/entries?offset=${first}&limit=${PAGE}`, { signal });
    if (page.items.length === 0 && page.total > 0) {
      // The context shrank (a replace): show its last page.
      first = Math.max(0, (page.total - 1) - ((page.total - 1) % PAGE));
      page = await api(`${path}/entries?offset=${first}&limit=${PAGE}`, { signal });
    }

    const go = (offset) => { first = offset; guard(contentSlot, loadContent); };
    const previous = h('button', { type: 'button', class: 'secondary', disabled: first === 0, onclick: () => go(Math.max(0, first - PAGE)) }, 'Previous');
    const next = h('button', { type: 'button', class: 'secondary', disabled: first + page.items.length >= page.total, onclick: () => go(first + PAGE) }, 'Next');
    contentSlot.replaceChildren(page.total === 0 ? h('p', { class: 'muted' }, 'No entries.') : table(['Version#', 'Role', 'Added', 'Text'],
      page.items.map((e) => h('tr', {}, h('td', { class: 'num' }, e.version), h('td', {}, e.role ?? 'document'), h('td', {}, time(e.added_at)), h('td', {}, h('pre', {}, e.text))))),
    h('div', { class: 'pager' }, previous, next, h('span', { class: 'muted' }, page.total === 0 ? '' : `Entries ${first + 1}–${first + page.items.length} of ${page.total}`)));
  };

  const guard = (slot, load) => load().catch((error) => { if (!signal.aborted) slot.replaceChildren(errorBox(error)); });
  main.append(
    header,
    h('nav', { class: 'toc', 'aria-label': 'Sections' }, [['learned', 'Learned context'], ['versions', 'Versions'], ['runs', 'Runs'], ['ask', 'Ask'], ['queries', 'Queries'], ['schedule', 'Schedule'], ['content', 'Content']]
      .map(([anchor, label]) => h('a', { href: `#${anchor}` }, label))),
    h('div', { class: 'row' }, sleepButton), sleepSlot,
    section('learned', 'Learned context now', learnedSlot),
    section('versions', 'Versions', versionsSlot, h('h3', {}, 'Compare two versions'), diffForm, diffSlot),
    section('runs', 'Runs', table(runHeaders(false), runBody, { id: 'runs-table' })),
    section('ask', 'Ask', askForm),
    section('queries', 'Queries', queriesSlot),
    section('schedule', 'Schedule', scheduleSlot, scheduleNote),
    section('content', 'Content', contentSlot));

  const refreshMemory = debounce(async () => {
    try {
      context = await api(`${path}?entries=false`, { signal });
      showHeader();
    } catch { /* the sections show their own errors */ }
    guard(learnedSlot, loadLearned);
    guard(contentSlot, loadContent);
  }, 200);
  await liveStream(subscribe, `${path}/events`, ({ type, event }) => {
    if (type.startsWith('run.')) runTable.upsert(event.data);
    if (type === 'memory.updated' || type === 'run.succeeded') refreshMemory();
  }, { signal, setLive, onError: (error) => sleepSlot.replaceChildren(errorBox(error)) });
  await Promise.all([guard(learnedSlot, loadLearned), guard(runBody, loadRuns), guard(queriesSlot, loadQueries), guard(scheduleSlot, loadSchedule), guard(contentSlot, loadContent)]);
}
