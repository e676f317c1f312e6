// Interventions on a checkpoint (POST /api/experiments/{id}/checkpoints/{step}/interventions): pick a checkpoint
// and an intervention, see which inputs (x, y) each target gets right before and after, and the losses side by side.
import { api } from '../api.js';
import { esc, num, pct } from '../format.js';

// What each field means in the form; which ones a kind reads comes from GET /api/interventions/kinds.
const FIELDS = {
  frequencies: { label: 'frequencies', placeholder: '14,35,41', list: true },
  layer: { label: 'layer', placeholder: '0' },
  neurons: { label: 'neurons', placeholder: '0,1,2', list: true },
  heads: { label: 'heads', placeholder: '0,3', list: true },
  hook: { label: 'hook', placeholder: 'blocks.0.hook_resid_mid' },
  position: { label: 'position', placeholder: 'the target\'s' },
  source: { label: 'source x,y', placeholder: '5,7' },
};

const ints = (s) => s.split(',').map((v) => v.trim()).filter(Boolean).map(Number);

export function interventionsPage(ctx, experimentId, query) {
  ctx.view.innerHTML = `
    <h1>Interventions</h1>
    <form id="intervene" class="toolbar" autocomplete="off">
      <label>experiment <select name="experiment" id="experiment"></select></label>
      <label>checkpoint <select name="step" id="step"></select></label>
      <label>kind <select name="kind" id="kind"></select></label>
      <span id="fields"></span>
      <button type="submit" id="run">Run</button>
      <span id="status" class="muted"></span>
    </form>
    <div id="result"></div>`;
  const $ = (s) => ctx.view.querySelector(s);
  let kinds = [];

  function drawFields() {
    const kind = kinds.find((k) => k.kind === $('#kind').value);
    $('#fields').innerHTML = (kind ? kind.fields : []).map((f) => `<label>${esc(FIELDS[f].label)}
      <input name="${f}" placeholder="${esc(FIELDS[f].placeholder)}" size="18" spellcheck="false"></label>`).join('');
    const preset = query.get('frequencies');
    if (preset && $('input[name=frequencies]')) $('input[name=frequencies]').value = preset;
  }

  async function loadCheckpoints() {
    const id = $('#experiment').value;
    if (!id) return;
    // Keep the query (kind, frequencies): a reload then shows the same form, not an empty one.
    const rest = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?')) : '';
    history.replaceState(null, '', `#/intervene/${encodeURIComponent(id)}${rest}`);
    const steps = (await api(`/api/experiments/${encodeURIComponent(id)}/checkpoints`)) || [];
    $('#step').innerHTML = steps.map((c) => `<option value="${c.step}">${c.step}</option>`).reverse().join('');
  }

  function body() {
    const b = { kind: $('#kind').value };
    ctx.view.querySelectorAll('#fields input').forEach((input) => {
      const v = input.value.trim();
      if (!v) return;
      if (input.name === 'source') {
        const [x, y] = ints(v);
        b.source = { x, y };
      } else if (input.name === 'hook') b.hook = v;
      else if (FIELDS[input.name].list) b[input.name] = ints(v);
      else b[input.name] = Number(v);
    });
    return b;
  }

  async function run(e) {
    e.preventDefault();
    ctx.showError('');
    $('#status').textContent = 'running both passes over every input…';
    const id = $('#experiment').value;
    try {
      const r = await api(`/api/experiments/${encodeURIComponent(id)}/checkpoints/${$('#step').value}/interventions`,
        { method: 'POST', body: body() });
      $('#status').textContent = `${r.rows} inputs, ${num(r.millis / 1000, 3)} s`;
      render(r);
    } catch (err) {
      $('#status').textContent = '';
      ctx.showError(`Intervention refused: ${err.message}${err.field ? ` (${err.field})` : ''}`);
    }
  }

  function render(r) {
    const row = (label, s) => `<td>${label}</td><td>${num(s.loss)}</td><td>${pct(s.accuracy)}</td>
      <td>${s.trainAccuracy == null ? '-' : pct(s.trainAccuracy)}</td><td>${s.validationLoss == null ? '-' : num(s.validationLoss)}</td>
      <td>${s.validationAccuracy == null ? '-' : pct(s.validationAccuracy)}</td>`;
    const scores = r.targets.map((t) => `<tr><th rowspan="2">${esc(t.target)}</th>${row('clean', t.clean)}</tr>
      <tr class="intervened">${row('intervened', t.intervened)}</tr>`).join('');
    const grids = r.grid ? r.grid.targets.map((g, i) => `<div class="panel"><h3>${esc(g.target)}: right inputs (x down, y across)</h3>
      <div class="grids"><figure><canvas id="grid-clean-${i}"></canvas><figcaption>clean</figcaption></figure>
      <figure><canvas id="grid-intervened-${i}"></canvas><figcaption>intervened</figcaption></figure></div></div>`).join('')
      : '<p class="muted">The task\'s inputs are not a p × p grid: no grid to draw.</p>';
    $('#result').innerHTML = `<p class="muted">${esc(JSON.stringify(r.intervention))}</p>
      <table id="scores"><thead><tr><th>target</th><th></th><th>loss</th><th>accuracy</th><th>train acc.</th>
      <th>validation loss</th><th>validation acc.</th></tr></thead><tbody>${scores}</tbody></table>${grids}`;
    if (r.grid) {
      r.grid.targets.forEach((g, i) => {
        paint($(`#grid-clean-${i}`), g.clean, r.grid.p);
        paint($(`#grid-intervened-${i}`), g.intervened, r.grid.p);
      });
    }
  }

  /** One pixel block per input (x, y): dark where the target is right, light where it is wrong. */
  function paint(canvas, cells, p) {
    const size = Math.max(2, Math.floor(280 / p));
    canvas.width = canvas.height = size * p;
    const g = canvas.getContext('2d');
    let right = 0;
    for (let x = 0; x < p; x++) {
      for (let y = 0; y < p; y++) {
        const ok = cells[x * p + y] === 1;
        right += ok ? 1 : 0;
        g.fillStyle = ok ? '#1f6feb' : '#f0d8d8';
        g.fillRect(y * size, x * size, size, size);
      }
    }
    canvas.dataset.cells = String(cells.length);
    canvas.dataset.right = String(right);
  }

  Promise.all([api('/api/interventions/kinds'), api('/api/experiments')]).then(async ([k, list]) => {
    kinds = k || [];
    $('#kind').innerHTML = kinds.map((x) => `<option value="${esc(x.kind)}">${esc(x.kind)}</option>`).join('');
    if (query.get('kind')) $('#kind').value = query.get('kind');
    drawFields();
    $('#experiment').innerHTML = (list || []).map((e) => `<option value="${esc(e.experimentId)}">${esc(e.name || e.experimentId)}
      (${esc(e.experimentId)})</option>`).join('');
    if (experimentId) $('#experiment').value = experimentId;
    await loadCheckpoints();
  }).catch((err) => ctx.showError(`Could not load: ${err.message}`));
  $('#kind').addEventListener('change', drawFields);
  $('#experiment').addEventListener('change', () => loadCheckpoints().catch((err) => ctx.showError(err.message)));
  $('#intervene').addEventListener('submit', run);
}
