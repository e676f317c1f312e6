// grokstream dashboard: a hash router over five pages. Vanilla ES modules, no build step.
import { apiKey, setApiKey } from './api.js';
import { disposeAll } from './charts.js';
import { listPage } from './pages/list.js';
import { experimentPage } from './pages/experiment.js';
import { comparePage } from './pages/compare.js';
import { submitPage } from './pages/submit.js';
import { interventionsPage } from './pages/interventions.js';
import { webhooksPage } from './pages/webhooks.js';

const view = document.getElementById('view');
const banner = document.getElementById('banner');
const liveBadge = document.getElementById('live');
let cleanup = () => {};

/** Shared page context: where to render, how to report errors and the live state. */
const ctx = {
  view,
  showError(message) {
    banner.textContent = message;
    banner.hidden = !message;
  },
  setLive(on) {
    liveBadge.textContent = on ? 'live' : 'offline';
    liveBadge.classList.toggle('on', on);
  },
};

/** '#/exp/abc?x=1' -> { parts: ['exp', 'abc'], query: URLSearchParams } */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q || '') };
}

function route() {
  cleanup();
  disposeAll();
  ctx.showError('');
  ctx.setLive(false);
  view.innerHTML = '';
  const { parts, query } = parseHash();
  const page = parts[0] || 'list';
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === page
    || (page === 'exp' && a.dataset.nav === 'list')));
  let result;
  if (page === 'exp' && parts[1]) result = experimentPage(ctx, parts[1]);
  else if (page === 'compare') result = comparePage(ctx, query);
  else if (page === 'submit') result = submitPage(ctx, query);
  else if (page === 'intervene') result = interventionsPage(ctx, parts[1], query);
  else if (page === 'webhooks') result = webhooksPage(ctx);
  else result = listPage(ctx);
  cleanup = typeof result === 'function' ? result : () => {};
}

const keyInput = document.getElementById('api-key');
keyInput.value = apiKey();
document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setApiKey(keyInput.value);
  keyInput.value = apiKey();
  route();
});

window.addEventListener('hashchange', route);
route();
