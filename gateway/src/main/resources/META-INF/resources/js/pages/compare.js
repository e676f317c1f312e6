// Several experiments on one metric (GET /api/compare), live from /api/stream, and their mechanisms side by side
// (GET /api/compare/mechanisms: mechanisms.js).
import { api, subscribe } from '../api.js';
import { LineChart } from '../charts.js';
import { esc } from '../format.js';
import { vocabulary } from '../vocabulary.js';
import { renderMechanisms } from '../mechanisms.js';

// The fields of the training metrics (StepMetrics).
const METRICS = ['validationAccuracy', 'trainAccuracy', 'validationLoss', 'trainLoss', 'gradNormTotal',
  'weightSquaredTotal', 'lr', 'stepMillis'];
// The compare endpoint also takes any progress-measure scalar: the vocabulary's single scalars join the list.
// Losses and norms start on a log axis; of the measures, the restricted and excluded loss (Nanda et al. 2023, §5.1).
const LOG_METRICS = ['validationLoss', 'trainLoss', 'gradNormTotal', 'weightSquaredTotal'];
const LOG_MEASURES = ['RESTRICTED_LOSS', 'EXCLUDED_LOSS', 'TRAIN_LOSS', 'TEST_LOSS', 'FULL_LOSS'];
const NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

export function comparePage(ctx, query) {
  const selected = new Set((query.get('ids') || '').split(',').filter(Boolean));
  let metric = NAME.test(query.get('metric') || '') ? query.get('metric') : 'validationAccuracy';
  ctx.view.innerHTML = `
    <h1>Compare experiments</h1>
    <div class="toolbar">
      <label>metric <input id="metric" list="metric-names" value="${esc(metric)}" size="22" spellcheck="false"
        title="a metric or a progress-measure scalar"></label>
      <datalist id="metric-names">${METRICS.map((m) => `<option value="${m}">`).join('')}</datalist>
      <label><input type="checkbox" id="ylog"> log y</label>
      <label><input type="checkbox" id="xlog"> log step axis</label>
    </div>
    <div class="panel" style="margin-bottom:1rem"><div class="chart tall" id="chart-compare"></div></div>
    <h2>Mechanisms</h2><div id="mechanisms" style="margin-bottom:1rem"></div>
    <table id="choices"><thead><tr><th></th><th>Experiment</th><th>Team</th><th>Status</th><th>Sweep</th></tr></thead><tbody></tbody></table>`;
  const $ = (s) => ctx.view.querySelector(s);
  const chart = new LineChart($('#chart-compare'), { title: '' });
  const names = new Map(); // experimentId -> series name
  const logByDefault = new Set(LOG_METRICS);
  let phases = [];  // the vocabulary's phase words, in the order a run passes them
  $('#ylog').checked = logByDefault.has(metric);

  function keepInUrl() {
    history.replaceState(null, '', `#/compare?ids=${encodeURIComponent([...selected].join(','))}&metric=${encodeURIComponent(metric)}`);
  }

  async function load() {
    keepInUrl();
    chart.series.clear();
    chart.setLog({ yLog: $('#ylog').checked, xLog: $('#xlog').checked });
    chart.opts.title = metric;
    loadMechanisms();
    if (!selected.size) { chart.render(); return; }
    try {
      const r = await api(`/api/compare?ids=${encodeURIComponent([...selected].join(','))}&metric=${encodeURIComponent(metric)}`);
      (r.series || []).forEach((s) => {
        const label = s.name && s.name !== s.experimentId ? `${s.name} (${s.experimentId})` : s.experimentId;
        names.set(s.experimentId, label);
        chart.setSeries(label, s.points || []);
      });
      chart.render();
    } catch (err) { ctx.showError(`Comparison failed: ${err.message}${err.field ? ` (${err.field})` : ''}`); }
  }

  async function loadMechanisms() {
    if (!selected.size) { renderMechanisms($('#mechanisms'), { runs: [] }, phases); return; }
    try {
      const r = await api(`/api/compare/mechanisms?ids=${encodeURIComponent([...selected].join(','))}`);
      renderMechanisms($('#mechanisms'), r, phases);
    } catch (err) { ctx.showError(`Mechanisms failed: ${err.message}${err.field ? ` (${err.field})` : ''}`); }
  }

  api('/api/experiments').then((list) => {
    $('#choices tbody').innerHTML = (list || []).map((e) => `<tr>
      <td><input type="checkbox" value="${esc(e.experimentId)}" ${selected.has(e.experimentId) ? 'checked' : ''}></td>
      <td><a href="#/exp/${encodeURIComponent(e.experimentId)}">${esc(e.name || e.experimentId)}</a> <span class="muted">${esc(e.experimentId)}</span></td>
      <td>${esc(e.team)}</td><td>${esc(e.status)}</td><td>${esc(e.sweepId || '')}</td></tr>`).join('');
    $('#choices tbody').addEventListener('change', (ev) => {
      if (ev.target.checked) selected.add(ev.target.value); else selected.delete(ev.target.value);
      load();
    });
  }).catch((err) => ctx.showError(`Could not load experiments: ${err.message}`));

  $('#metric').addEventListener('change', (e) => {
    const m = e.target.value.trim();
    if (!NAME.test(m)) { ctx.showError(`metric: "${m}" is not a metric name`); return; }
    ctx.showError('');
    metric = m; $('#ylog').checked = logByDefault.has(metric); load();
  });
  $('#ylog').addEventListener('change', load);
  $('#xlog').addEventListener('change', load);
  vocabulary().then((v) => {
    const scalars = v.measures.filter((w) => w.shape === 'scalar' && !w.family);
    $('#metric-names').insertAdjacentHTML('beforeend',
      scalars.map((w) => `<option value="${esc(w.name)}" label="${esc(w.meaning)}">`).join(''));
    LOG_MEASURES.forEach((id) => logByDefault.add(v.measure[id].name));
    phases = v.phases || [];
    $('#ylog').checked = logByDefault.has(metric);
  }).catch((err) => console.warn('vocabulary', err)).finally(load);

  return subscribe('/api/stream', {
    metrics: (m) => {
      if (!selected.has(m.experimentId) || !names.has(m.experimentId) || typeof m[metric] !== 'number') return;
      chart.addPoint(names.get(m.experimentId), m.step, m[metric]).render();
    },
    measures: (p) => {
      const v = p.scalars ? p.scalars[metric] : undefined;
      if (!selected.has(p.experimentId) || !names.has(p.experimentId) || typeof v !== 'number') return;
      chart.addPoint(names.get(p.experimentId), p.step, v).render();
    },
  }, ctx.setLive);
}
