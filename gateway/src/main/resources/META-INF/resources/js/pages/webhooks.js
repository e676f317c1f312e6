// Webhooks (alerts, issue 19): the team's webhooks, each with its delivery log (one row per attempt), a form to
// add one, and test / remove buttons. The alert kinds come from the gateway (GET /api/webhooks/kinds, contracts'
// AlertKind); the secret is shown once, right after the webhook is added.
import { api } from '../api.js';
import { esc } from '../format.js';

const REFRESH_MS = 5000;

export function webhooksPage(ctx) {
  ctx.view.innerHTML = `
    <h1>Webhooks</h1>
    <p class="muted">The gateway POSTs a signed JSON alert to each of your team's webhooks when one of your experiments
      reaches a phase, meets an anomaly or ends, and retries with back-off when the receiver fails
      (<code>X-Grokstream-Signature: sha256=HMAC(secret, timestamp.body)</code>).</p>
    <form id="webhook-form" class="submit panel" autocomplete="off">
      <fieldset><legend>Add a webhook</legend>
        <div class="fields">
          <label>URL <input id="wh-url" name="url" type="url" placeholder="https://example.org/grokstream" required></label>
          <label>Experiment (optional: all of your team's if empty)
            <input id="wh-experiment" name="experimentId" list="wh-experiments" placeholder="exp-..."></label>
        </div>
        <datalist id="wh-experiments"></datalist>
        <div id="wh-events" class="chips checks"></div>
      </fieldset>
      <button type="submit" id="wh-add">Add webhook</button>
      <div id="wh-result" class="result" hidden></div>
    </form>
    <div class="toolbar"><h2>Your webhooks</h2><span class="muted" id="wh-count"></span>
      <button type="button" class="secondary" id="wh-refresh">Refresh</button></div>
    <div id="wh-list"></div>
    <div class="empty" id="wh-empty" hidden>No webhooks yet: add one above.</div>`;
  const form = ctx.view.querySelector('#webhook-form');
  const result = ctx.view.querySelector('#wh-result');
  const list = ctx.view.querySelector('#wh-list');

  api('/api/webhooks/kinds').then((kinds) => {
    ctx.view.querySelector('#wh-events').innerHTML = kinds.map((k) => `<label class="check">
      <input type="checkbox" name="events" value="${esc(k)}"${k === 'grokked' ? ' checked' : ''}> ${esc(k)}</label>`).join('');
  }).catch((err) => ctx.showError(`Could not load the alert kinds: ${err.message}`));
  api('/api/experiments').then((exps) => {
    ctx.view.querySelector('#wh-experiments').innerHTML = (exps || [])
      .map((e) => `<option value="${esc(e.experimentId)}">${esc(e.name || '')}</option>`).join('');
  }).catch(() => {});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    const body = {
      url: form.url.value.trim(),
      events: [...form.querySelectorAll('input[name=events]:checked')].map((c) => c.value),
    };
    if (form.experimentId.value.trim()) body.experimentId = form.experimentId.value.trim();
    try {
      const created = await api('/api/webhooks', { method: 'POST', body });
      result.className = 'result';
      result.innerHTML = `Added <b>${esc(created.webhookId)}</b>. Its secret, shown this once: `
        + `<code id="wh-secret">${esc(created.secret)}</code>`;
      result.hidden = false;
      form.url.value = '';
      load();
    } catch (err) {
      result.className = 'result error';
      result.textContent = err.message + (err.field ? ` (${err.field})` : '');
      result.hidden = false;
      const field = { url: '#wh-url', experimentId: '#wh-experiment', events: '#wh-events' }[err.field];
      if (field) ctx.view.querySelector(field).classList.add('invalid');
    }
  });

  list.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const id = button.dataset.id;
    try {
      if (button.dataset.action === 'test') await api(`/api/webhooks/${encodeURIComponent(id)}/test`, { method: 'POST' });
      else await api(`/api/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setTimeout(load, 300);
    } catch (err) {
      ctx.showError(`Webhook ${id}: ${err.message}`);
    }
  });
  ctx.view.querySelector('#wh-refresh').addEventListener('click', () => load());

  async function load() {
    try {
      const hooks = await api('/api/webhooks');
      const logs = await Promise.all(hooks.map((h) => api(`/api/webhooks/${encodeURIComponent(h.webhookId)}/deliveries`)));
      list.innerHTML = hooks.map((h, i) => hookHtml(h, logs[i])).join('');
      ctx.view.querySelector('#wh-empty').hidden = hooks.length > 0;
      ctx.view.querySelector('#wh-count').textContent = `${hooks.length} webhook${hooks.length === 1 ? '' : 's'}`;
    } catch (err) {
      ctx.showError(`Could not load the webhooks: ${err.message}`);
    }
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function hookHtml(h, log) {
  return `<section class="panel webhook" data-id="${esc(h.webhookId)}">
    <div class="toolbar"><b>${esc(h.url)}</b>
      <span class="chips">${h.events.map((k) => `<span>${esc(k)}</span>`).join('')}</span>
      <span class="muted">${h.experimentId ? 'experiment ' + esc(h.experimentId) : 'every experiment of ' + esc(h.team)}
        · ${esc(h.webhookId)}</span>
      <button type="button" class="secondary" data-action="test" data-id="${esc(h.webhookId)}">Send test</button>
      <button type="button" class="secondary" data-action="remove" data-id="${esc(h.webhookId)}">Remove</button></div>
    ${log.length === 0 ? '<div class="muted">No deliveries yet.</div>' : `<div class="table-wrap"><table class="deliveries">
      <thead><tr><th>Attempted</th><th>Alert</th><th>Experiment</th><th class="num">Attempt</th><th>Outcome</th>
        <th>Next retry</th><th>Delivery</th></tr></thead>
      <tbody>${log.map(attemptHtml).join('')}</tbody></table></div>`}
  </section>`;
}

function attemptHtml(a) {
  const ok = a.status !== null && a.status >= 200 && a.status < 300;
  const outcome = a.status !== null ? `HTTP ${a.status}` : (a.error || 'no answer');
  return `<tr><td>${esc(a.attemptedAt)}</td><td>${esc(a.kind)}</td><td>${esc(a.experimentId || '–')}</td>
    <td class="num">${esc(a.attempt)}</td>
    <td><span class="outcome ${ok ? 'ok' : 'bad'}" title="${esc(a.error || '')}">${esc(outcome)}</span></td>
    <td>${esc(a.nextRetryAt || '–')}</td><td class="muted">${esc(a.deliveryId)}</td></tr>`;
}
