// Submit an experiment (the gateway's nanda preset pre-filled: Nanda et al. 2023) or a sweep over one or two
// parameters. `#/submit?from=ID` pre-fills the form from an existing experiment and posts to its clone endpoint.
import { api } from '../api.js';
import { esc } from '../format.js';
import { presets } from '../vocabulary.js';

/** The preset the form starts from (GET /api/presets): what an empty body trains. */
const PRESET = 'nanda';

/** The form's fields: [section, name, type]; their defaults come from the preset. */
const FIELDS = [
  ['model', 'nLayers', 'int'], ['model', 'dModel', 'int'], ['model', 'nHeads', 'int'],
  ['model', 'dHead', 'int'], ['model', 'dMlp', 'int'],
  ['model', 'dtype', ['float32', 'float64']],
  ['model', 'positionalEmbedding', 'bool'], ['model', 'layerNorm', 'bool'],
  ['model', 'attnOnly', 'bool'], ['model', 'mlpOnly', 'bool'],
  ['optimizer', 'lr', 'num'], ['optimizer', 'weightDecay', 'num'], ['optimizer', 'beta1', 'num'],
  ['optimizer', 'beta2', 'num'], ['optimizer', 'eps', 'num'], ['optimizer', 'warmupSteps', 'int'],
  ['optimizer', 'batchSize', 'int'],
  ['grokfast', 'kind', ['none', 'ema', 'ma']], ['grokfast', 'alpha', 'num'],
  ['grokfast', 'lambda', 'num'], ['grokfast', 'window', 'int'], ['grokfast', 'reduction', ['mean', 'sum']],
  ['budget', 'maxSteps', 'int'], ['budget', 'stopAtValidationAccuracy', 'num'],
  ['cadence', 'metricsEvery', 'int'], ['cadence', 'snapshotEvery', 'int'],
  ['cadence', 'snapshotEveryEarly', 'int'], ['cadence', 'earlySteps', 'int'],
  ['cadence', 'checkpointEvery', 'int'],
];

const HINTS = {
  'optimizer.batchSize': '0 = full batch', 'budget.stopAtValidationAccuracy': 'empty = run the whole budget',
  'grokfast.alpha': 'EMA (Lee et al. 2024)', 'grokfast.window': 'MA window',
};

function fieldHtml([section, name, type], preset) {
  const path = `${section}.${name}`;
  const def = (preset[section] || {})[name] ?? '';
  const hint = HINTS[path] ? ` <span class="muted">(${esc(HINTS[path])})</span>` : '';
  if (type === 'bool') {
    return `<label class="check"><input type="checkbox" name="${path}" ${def ? 'checked' : ''}> ${esc(name)}</label>`;
  }
  if (Array.isArray(type)) {
    return `<label>${esc(name)}<select name="${path}">${type.map((o) => `<option ${o === def ? 'selected' : ''}>${esc(o)}</option>`).join('')}</select></label>`;
  }
  return `<label>${esc(name)}${hint}<input name="${path}" value="${esc(def)}" inputmode="decimal"></label>`;
}

const SWEEPABLE = FIELDS.filter(([, , t]) => t === 'int' || t === 'num').map(([s, n]) => `${s}.${n}`).concat(['seed']);

export function submitPage(ctx, query) {
  let closed = false;
  ctx.view.innerHTML = '<p class="muted">Loading the presets…</p>';
  presets().then((all) => { if (!closed) renderForm(ctx, query, all[PRESET]); })
    .catch((err) => ctx.showError(`Could not load the presets: ${err.message}`));
  return () => { closed = true; };
}

function renderForm(ctx, query, preset) {
  const from = query.get('from');
  const sections = ['model', 'optimizer', 'grokfast', 'budget', 'cadence'];
  ctx.view.innerHTML = `
    <h1>${from ? `Clone ${esc(from)} with changes` : 'Submit an experiment'}</h1>
    <p class="muted">Defaults are the gateway's ${PRESET} preset: Nanda et al. (2023)'s run on modular addition
      mod 113 with 30% of pairs for training.</p>
    <form class="submit" id="form" novalidate>
      <fieldset><legend>Experiment</legend><div class="fields">
        <label>name<input name="name" placeholder="optional"></label>
        <label>task<select name="taskId"><option value="">default (modular addition, p = 113)</option></select></label>
        <label>seed<input name="seed" value="${esc(preset.seed ?? 0)}" inputmode="numeric"></label>
        <label class="check"><input type="checkbox" name="public" ${preset.public ? 'checked' : ''}> readable by other teams</label>
      </div>
      <details style="margin-top:.6rem"><summary>inline task (sent to the dataset service)</summary>
        <div class="fields" style="margin-top:.5rem">
          <label>kind<input name="task.kind" placeholder="e.g. modular"></label>
          <label style="grid-column: span 2">parameters (JSON)<textarea name="task.parameters" rows="3" placeholder='{"p": 97}'></textarea></label>
        </div></details></fieldset>
      ${sections.map((s) => `<fieldset><legend>${s}</legend><div class="fields">
        ${FIELDS.filter((f) => f[0] === s).map((f) => fieldHtml(f, preset)).join('')}</div></fieldset>`).join('')}
      <fieldset ${from ? 'hidden' : ''}><legend>sweep (optional)</legend>
        <p class="muted" style="margin-top:0">A grid over one or two parameters; each combination becomes a linked experiment.</p>
        <div class="fields">
          <label>parameter 1<select name="sweep.p1"><option value="">—</option>${SWEEPABLE.map((p) => `<option>${p}</option>`).join('')}</select></label>
          <label>values 1<input name="sweep.v1" placeholder="e.g. 0.3, 1.0"></label>
          <label>parameter 2<select name="sweep.p2"><option value="">—</option>${SWEEPABLE.map((p) => `<option>${p}</option>`).join('')}</select></label>
          <label>values 2<input name="sweep.v2" placeholder="e.g. 0, 2"></label>
        </div></fieldset>
      <button type="submit" id="submit">${from ? 'Clone' : 'Submit'}</button>
      <button type="button" class="secondary" id="reset">Reset to defaults</button>
      <div class="result" id="result"></div>
    </form>`;
  const form = ctx.view.querySelector('#form');
  const result = ctx.view.querySelector('#result');
  const el = (name) => form.elements.namedItem(name);

  api('/api/tasks').then((tasks) => {
    const sel = el('taskId');
    (tasks || []).forEach((t) => sel.insertAdjacentHTML('beforeend',
      `<option value="${esc(t.id)}">${esc(t.id)} (${esc(t.kind)}, ${t.rows} rows)</option>`));
    if (from) prefill();
  }).catch((err) => ctx.showError(`Could not load the task catalog: ${err.message}`));

  async function prefill() {
    try {
      const d = await api(`/api/experiments/${encodeURIComponent(from)}`);
      const c = d.config || {};
      el('name').value = `${c.name || from} (clone)`;
      el('taskId').value = c.taskId || '';
      el('seed').value = c.seed ?? 0;
      el('public').checked = !!c.publicRead;
      const src = { model: c.model, optimizer: c.optimizer, grokfast: c.grokfast, budget: c.budget, cadence: c.cadence };
      FIELDS.forEach(([s, n, t]) => {
        const v = src[s] ? src[s][n] : undefined;
        if (v === undefined) return;
        if (t === 'bool') el(`${s}.${n}`).checked = !!v; else el(`${s}.${n}`).value = v ?? '';
      });
    } catch (err) { ctx.showError(`Could not load ${from}: ${err.message}`); }
  }

  /** Parses a number field; throws {field, error} naming the rule. */
  function parseNumber(path, raw, type) {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw { field: path, error: `${path} must be a number` };
    if (type === 'int' && !Number.isInteger(v)) throw { field: path, error: `${path} must be a whole number` };
    return v;
  }

  function body() {
    const b = {};
    const name = el('name').value.trim();
    if (name) b.name = name;
    if (el('taskId').value) b.taskId = el('taskId').value;
    const kind = el('task.kind').value.trim();
    if (kind) {
      if (b.taskId) throw { field: 'task', error: 'choose a catalog task or an inline task, not both' };
      let parameters = {};
      const raw = el('task.parameters').value.trim();
      if (raw) {
        try { parameters = JSON.parse(raw); } catch { throw { field: 'task.parameters', error: 'task.parameters must be JSON' }; }
      }
      b.task = { kind, parameters };
    }
    b.seed = parseNumber('seed', el('seed').value, 'int');
    b.public = el('public').checked;
    FIELDS.forEach(([s, n, t]) => {
      const path = `${s}.${n}`;
      const input = el(path);
      b[s] = b[s] || {};
      if (t === 'bool') b[s][n] = input.checked;
      else if (Array.isArray(t)) b[s][n] = input.value;
      else if (input.value.trim() === '' && path === 'budget.stopAtValidationAccuracy') b[s][n] = null;
      else b[s][n] = parseNumber(path, input.value, t);
    });
    return b;
  }

  function grid() {
    const g = {};
    for (const i of ['1', '2']) {
      const p = el(`sweep.p${i}`).value;
      if (!p) continue;
      const values = el(`sweep.v${i}`).value.split(',').map((s) => s.trim()).filter(Boolean)
        .map((s) => parseNumber(`sweep.v${i}`, s, 'num'));
      if (!values.length) throw { field: `sweep.v${i}`, error: `give the values of ${p}, separated by commas` };
      g[p] = values;
    }
    return g;
  }

  function markInvalid(field) {
    form.querySelectorAll('.invalid').forEach((n) => n.classList.remove('invalid'));
    if (!field) return;
    const input = el(field) || (field.startsWith('grid') ? el('sweep.v1') : null);
    if (input && input.classList) { input.classList.add('invalid'); input.focus(); }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    result.className = 'result';
    result.textContent = 'Submitting…';
    try {
      const b = body();
      const g = from ? {} : grid();
      markInvalid(null);
      if (Object.keys(g).length) {
        const r = await api('/api/sweeps', { method: 'POST', body: { base: b, grid: g } });
        result.innerHTML = `Sweep ${esc(r.sweepId)} created: ${(r.experimentIds || []).map((id) =>
          `<a href="#/exp/${encodeURIComponent(id)}">${esc(id)}</a>`).join(', ')}
          · <a href="#/compare?ids=${encodeURIComponent((r.experimentIds || []).join(','))}">compare them</a>`;
      } else {
        const path = from ? `/api/experiments/${encodeURIComponent(from)}/clone` : '/api/experiments';
        const r = await api(path, { method: 'POST', body: b });
        result.innerHTML = `Experiment <a href="#/exp/${encodeURIComponent(r.experimentId)}">${esc(r.experimentId)}</a> submitted.`;
      }
    } catch (err) {
      result.className = 'result error';
      result.textContent = err.field ? `${err.field}: ${err.error || err.message}` : (err.error || err.message);
      markInvalid(err.field);
    }
  });
  ctx.view.querySelector('#reset').addEventListener('click', () => { form.reset(); markInvalid(null); result.textContent = ''; });
}
