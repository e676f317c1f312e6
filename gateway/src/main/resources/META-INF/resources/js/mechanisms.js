// Mechanisms of several runs side by side (GET /api/compare/mechanisms): a table of runs x phase steps and key
// frequencies (shared by every run highlighted, one run's own marked), a per-target table for tasks with several
// targets, and a timeline: one row per run, a marker at each phase step and a tick where each final key frequency
// was first found, on a common step axis (plain SVG, no chart library: a few dozen marks).
import { esc, num, pct } from './format.js';

const PHASE_COLOURS = ['#57606a', '#9a6700', '#8250df', '#0a7b83', '#1a7f37', '#bf3989'];
const SVG = 'http://www.w3.org/2000/svg';

/** Renders `answer` into `el`; `phases` are the vocabulary's phase words in the order a run passes them. */
export function renderMechanisms(el, answer, phases) {
  const runs = answer.runs || [];
  if (!runs.length) { el.innerHTML = '<p class="muted">Pick experiments below to compare their mechanisms.</p>'; return; }
  const label = (r) => (r.name && r.name !== r.experimentId ? `${r.name} (${r.experimentId})` : r.experimentId);
  el.innerHTML = `
    <div class="panel" style="margin-bottom:1rem"><b>Phases and key frequencies over training</b>
      <span class="muted">markers: phase steps; ticks: the step each final key frequency was first found</span>
      <div id="mech-timeline"></div></div>
    <div class="table-wrap"><table id="mech-table"><thead><tr><th>Experiment</th><th class="num">seed</th><th>optimizer</th>
      <th class="num">weight decay</th><th>GrokFast</th>${phases.map((p) => `<th class="num">${esc(p)}</th>`).join('')}
      <th>key frequencies (step found)</th><th class="num">val acc</th></tr></thead><tbody>${runs.map((r) => `
      <tr data-id="${esc(r.experimentId)}"><td>${esc(label(r))}</td><td class="num">${r.seed}</td><td>${esc(r.optimizer)}</td>
      <td class="num">${num(r.weightDecay, 3)}</td><td>${esc(r.grokfast)}</td>
      ${phases.map((p) => `<td class="num">${stepOf(r, p) ?? '–'}</td>`).join('')}
      <td class="chips">${chips(r.keyFrequencies, answer.frequencies, r.experimentId)}</td>
      <td class="num">${r.validationAccuracy == null ? '–' : pct(r.validationAccuracy)}</td></tr>`).join('')}
    </tbody></table></div>
    <p class="muted" id="mech-split">shared by every run: <b>${list(answer.frequencies.shared)}</b>; ${runs.map((r) =>
      `only ${esc(r.experimentId)}: ${list(answer.frequencies.unique[r.experimentId])}`).join('; ')}</p>
    ${targetsTable(answer)}`;
  el.querySelector('#mech-timeline').append(timeline(runs, phases, label));
}

function stepOf(run, phase) {
  const p = (run.phases || []).find((x) => x.phase === phase);
  return p ? p.step : null;
}

function list(xs) {
  return xs && xs.length ? xs.join(', ') : 'none';
}

/** Key-frequency chips: class shared (every run has it) or unique (only this run), with the step found. */
function chips(keys, split, id) {
  if (!keys || !keys.length) return '<span class="muted">none</span>';
  const shared = new Set(split.shared || []);
  const unique = new Set((split.unique || {})[id] || []);
  return keys.map((k) => {
    const cls = shared.has(k.frequency) ? 'shared' : unique.has(k.frequency) ? 'unique' : '';
    return `<span class="${cls}" data-frequency="${k.frequency}" title="first found at step ${k.firstSeen}, stable since ${k.stableSince}">${k.frequency} <small>@${k.firstSeen}</small></span>`;
  }).join('');
}

function targetsTable(answer) {
  const rows = (answer.runs || []).flatMap((r) => (r.targets || []).map((t) => ({ r, t })));
  if (!rows.length) return '';
  return `<h2 style="margin-top:1rem">Per target</h2><div class="table-wrap"><table id="mech-targets"><thead><tr>
    <th>Experiment</th><th>target</th><th>key frequencies (step found)</th><th class="num">restricted loss</th>
    <th class="num">excluded loss</th><th class="num">train acc</th><th class="num">test acc</th></tr></thead><tbody>
    ${rows.map(({ r, t }) => `<tr><td>${esc(r.experimentId)}</td><td>${esc(t.name)}</td>
      <td class="chips">${chips(t.keyFrequencies, answer.targets[t.name] || {}, r.experimentId)}</td>
      <td class="num">${t.restrictedLoss == null ? '–' : num(t.restrictedLoss)}</td>
      <td class="num">${t.excludedLoss == null ? '–' : num(t.excludedLoss)}</td>
      <td class="num">${t.trainAccuracy == null ? '–' : pct(t.trainAccuracy)}</td>
      <td class="num">${t.testAccuracy == null ? '–' : pct(t.testAccuracy)}</td></tr>`).join('')}</tbody></table></div>`;
}

function node(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One row per run on a common step axis; data-markers counts the phase markers drawn (the browser test reads it). */
function timeline(runs, phases, label) {
  const rowH = 34;
  const left = 260;
  const width = 1100;
  const right = 30;
  const top = 30;
  const height = top + rowH * runs.length + 40;
  const maxStep = Math.max(1, ...runs.flatMap((r) => [r.step, r.measuredStep || 0, ...(r.phases || []).map((p) => p.step)]));
  const x = (s) => left + (width - left - right) * s / maxStep;
  const svg = node('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'timeline' });
  phases.forEach((p, i) => {
    svg.append(node('circle', { cx: left + i * 130 + 6, cy: 12, r: 5, fill: PHASE_COLOURS[i % PHASE_COLOURS.length] }));
    svg.append(node('text', { x: left + i * 130 + 15, y: 16, 'font-size': 11, fill: '#1b1f24' }, p));
  });
  let markers = 0;
  runs.forEach((r, i) => {
    const y = top + rowH * i + rowH / 2;
    svg.append(node('text', { x: 4, y: y + 4, 'font-size': 12, fill: '#1b1f24' }, label(r).slice(0, 38)));
    svg.append(node('line', { x1: x(0), x2: x(Math.max(r.step, r.measuredStep || 0)), y1: y, y2: y, stroke: '#d0d7de', 'stroke-width': 6 }));
    (r.keyFrequencies || []).forEach((k) => {
      svg.append(node('line', { x1: x(k.firstSeen), x2: x(k.firstSeen), y1: y + 5, y2: y + 12, stroke: '#0b5cad' }));
      svg.append(node('text', { x: x(k.firstSeen) + 2, y: y + 16, 'font-size': 9, fill: '#0b5cad' }, `k=${k.frequency}`));
    });
    (r.phases || []).forEach((p) => {
      const colour = PHASE_COLOURS[Math.max(0, phases.indexOf(p.phase)) % PHASE_COLOURS.length];
      const m = node('circle', { cx: x(p.step), cy: y, r: 6, fill: colour, stroke: '#fff', 'stroke-width': 1.5, class: 'phase-marker' });
      m.append(node('title', {}, `${p.phase} at step ${p.step}: ${p.evidence || ''}`));
      svg.append(m);
      markers += 1;
    });
  });
  const axisY = top + rowH * runs.length + 8;
  svg.append(node('line', { x1: x(0), x2: x(maxStep), y1: axisY, y2: axisY, stroke: '#57606a' }));
  for (let i = 0; i <= 5; i++) {
    const s = Math.round(maxStep * i / 5);
    svg.append(node('line', { x1: x(s), x2: x(s), y1: axisY, y2: axisY + 5, stroke: '#57606a' }));
    svg.append(node('text', { x: x(s), y: axisY + 18, 'font-size': 11, 'text-anchor': 'middle', fill: '#1b1f24' }, `${s}`));
  }
  svg.append(node('text', { x: width - right, y: axisY + 32, 'font-size': 11, 'text-anchor': 'end', fill: '#57606a' }, 'step'));
  svg.dataset.markers = `${markers}`;
  return svg;
}
