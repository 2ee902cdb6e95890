// An agent: its blocks ([confirmed] lines marked), its sleep-time agents and their runs, and change sets with per-block
// diffs and sources, approved, rejected or reverted from the page (a block that moved on is shown as the conflict).
import { api, subscribe } from '../api.js';
import { h, number, tokens, time, errorBox, table, section, act, facts, unifiedDiff, debounce, runRows, runHeaders, status, liveStream } from '../ui.js';

const CONFIRMED = '[confirmed]';

function blockView(block) {
  const lines = block.value === '' ? [] : block.value.split('\n');
  return h('article', { class: 'card', dataset: { blockId: block.id, blockLabel: block.label } },
    h('h3', {}, block.label, ' ', h('span', { class: 'muted' }, `v${block.version} · ${number(block.value.length)}/${number(block.limit)} characters${block.read_only ? ' · read-only' : ''}`)),
    block.description ? h('p', { class: 'muted' }, block.description) : null,
    lines.length === 0 ? h('p', { class: 'muted' }, '(empty)') : h('ul', { class: 'lines', 'aria-label': `Block ${block.label}` }, lines.map((line) => line.trimStart().startsWith(CONFIRMED)
      ? h('li', { class: 'confirmed', title: 'Confirmed: a change to this line is held for review' }, h('span', { class: 'badge' }, 'confirmed'), line)
      : h('li', {}, line || ' '))),
    h('p', { class: 'muted' }, `Updated ${time(block.updated_at)} by ${block.updated_by}`));
}

export async function render(main, { id, signal, setLive }) {
  const path = `/agents/${encodeURIComponent(id)}`;
  const agent = await api(path, { signal });

  const blocksSlot = h('div', { class: 'grid' });
  const loadBlocks = async () => {
    const blocks = await api(`${path}/blocks`, { signal });
    blocksSlot.replaceChildren(...(blocks.length === 0 ? [h('p', { class: 'muted' }, 'No blocks.')] : blocks.map(blockView)));
  };

  const sleepersSlot = h('div', {});
  const sleeperNote = h('div', {});
  const loadSleepers = async () => {
    const sleepers = await api(`${path}/sleeptime-agents`, { signal });
    sleepersSlot.replaceChildren(sleepers.length === 0 ? h('p', { class: 'muted' }, 'No sleep-time agents.') : table(['Name', 'Id', 'Model', 'Review', 'Every turns#', 'Idle (s)#', 'Daily budget#', ''],
      sleepers.map((s) => {
        const run = h('button', { type: 'button', class: 'secondary', onclick: () => act(run, sleeperNote, async () => runTable.upsert(await api(`/sleeptime-agents/${encodeURIComponent(s.id)}/runs`, { method: 'POST' }))) }, `Run ${s.name || s.id} now`);
        return h('tr', {}, h('td', {}, s.name), h('td', { class: 'mono' }, s.id), h('td', {}, s.model), h('td', {}, s.require_review ? 'every change' : 'confirmed lines only'),
          h('td', { class: 'num' }, s.every_turns ?? s.schedule?.every_turns ?? '–'), h('td', { class: 'num' }, s.idle_after_seconds ?? '–'), h('td', { class: 'num' }, s.daily_token_budget ?? '–'), h('td', {}, run));
      })));
  };

  const runBody = h('tbody', {});
  const runTable = runRows(runBody);
  const loadRuns = async () => runTable.set(await api(`${path}/sleeptime-runs?limit=50`, { signal }));

  const changesSlot = h('div', {});
  const loadChanges = async () => {
    const changes = await api(`${path}/changes?limit=50`, { signal });
    changesSlot.replaceChildren(...(changes.length === 0 ? [h('p', { class: 'muted' }, 'No change sets yet.')] : changes.map(changeSetView)));
  };

  // A change set's message (a refusal, a conflict) outlives the re-render that the next event causes.
  const notes = new Map();
  const changeSetView = (change) => {
    const slot = notes.get(change.id) ?? h('div', { 'aria-live': 'polite' });
    notes.set(change.id, slot);
    const overwrite = h('input', { type: 'checkbox', id: `overwrite-${change.id}` });
    const review = (verb) => {
      const button = h('button', { type: 'button', class: verb === 'reject' ? 'danger' : null, onclick: () => act(button, slot, async () => {
        await api(`/changes/${encodeURIComponent(change.id)}/${verb}`, { method: 'POST', body: verb === 'approve' ? { overwrite_conflicts: overwrite.checked } : {} });
        await Promise.all([loadBlocks(), loadChanges()]);
      }) }, verb === 'approve' ? 'Approve' : 'Reject');
      return button;
    };
    const revert = h('button', { type: 'button', class: 'secondary', onclick: () => act(revert, slot, async () => {
      try {
        await api(`/changes/${encodeURIComponent(change.id)}/revert`, { method: 'POST', body: {} });
        await Promise.all([loadBlocks(), loadChanges()]);
      } catch (error) {
        if (error.status !== 409 || !error.body?.conflicts) throw error;
        loadBlocks().catch(() => {});
        slot.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Not reverted: a block moved on since this change'),
          error.body.conflicts.map((c) => h('div', {}, `${c.label}: now at version ${c.conflict_version ?? '?'}`, c.conflict_value !== null ? h('pre', {}, c.conflict_value) : null))));
      }
    }) }, 'Revert');
    const open = change.status === 'pending' || change.status === 'needs_review';
    return h('article', { class: 'card', dataset: { changeSetId: change.id, status: change.status } },
      h('h3', {}, h('span', { class: 'mono' }, change.id), ' ', status(change.status)),
      facts([['Sleep-time agent', change.sleeptime_agent_id], ['Run', change.run_id ?? '–'], ['Model', change.model ?? '–'], ['Prompt', change.prompt_version],
        ['Tokens', tokens(change.usage)], ['Created', time(change.created_at)], change.resolved_at ? ['Resolved', `${time(change.resolved_at)} by ${change.resolved_by ?? '?'}`] : null,
        ['Sources', [change.source_message_ids.length ? `messages ${change.source_message_ids.join(', ')}` : null, change.source_document_ids.length ? `documents ${change.source_document_ids.join(', ')}` : null].filter(Boolean).join('; ') || 'none']]),
      change.blocks.map((b) => h('div', { dataset: { blockChange: b.label } },
        h('h3', {}, `Block ${b.label} `, status(b.state), ' ', h('span', { class: 'muted' }, `from version ${b.base_version}${b.applied_version ? `, applied as version ${b.applied_version}` : ''}`)),
        b.reason ? h('p', { class: 'muted' }, b.reason) : null,
        unifiedDiff(b.diff),
        b.state === 'conflict' ? h('div', { class: 'error' }, h('strong', {}, `Conflict: the block moved on to version ${b.conflict_version ?? '?'}`), b.conflict_value !== null ? h('pre', {}, b.conflict_value) : null) : null)),
      open ? h('div', { class: 'row' }, review('approve'), review('reject'), h('label', { class: 'check', for: overwrite.id }, overwrite, 'Overwrite blocks that moved on')) : null,
      change.status === 'committed' ? h('div', { class: 'row' }, revert) : null,
      slot);
  };

  const guard = (slot, load) => load().catch((error) => { if (!signal.aborted) slot.replaceChildren(errorBox(error)); });
  main.append(
    h('h1', {}, agent.name || agent.id),
    facts([['Id', agent.id], ['Instructions', agent.instructions], ['Created', time(agent.created_at)]]),
    h('nav', { class: 'toc', 'aria-label': 'Sections' }, [['blocks', 'Blocks'], ['sleepers', 'Sleep-time agents'], ['runs', 'Runs'], ['changes', 'Change sets']].map(([a, label]) => h('a', { href: `#${a}` }, label))),
    section('blocks', 'Blocks', blocksSlot),
    section('sleepers', 'Sleep-time agents', sleepersSlot, sleeperNote),
    section('runs', 'Runs', table(runHeaders(false), runBody, { id: 'runs-table' })),
    section('changes', 'Change sets', changesSlot));

  const refresh = debounce(() => { guard(blocksSlot, loadBlocks); guard(changesSlot, loadChanges); }, 200);
  await liveStream(subscribe, `${path}/events`, ({ type, event }) => {
    if (type.startsWith('run.')) runTable.upsert(event.data);
    if (type.startsWith('change_set.') || type === 'memory.updated') refresh();
  }, { signal, setLive, onError: (error) => sleeperNote.replaceChildren(errorBox(error)) });
  await Promise.all([guard(blocksSlot, loadBlocks), guard(sleepersSlot, loadSleepers), guard(runBody, loadRuns), guard(changesSlot, loadChanges)]);
}
