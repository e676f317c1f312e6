// The gateway's REST API and live streams (gateway/API.md), with the team's API key.
// The key is entered once and kept in localStorage; EventSource and download links cannot set headers,
// so they carry it as the `key` query parameter the gateway also accepts.

const KEY_STORAGE = 'grokstream.key';
export const DEFAULT_KEY = 'demo-key';

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || DEFAULT_KEY;
}

export function setApiKey(key) {
  localStorage.setItem(KEY_STORAGE, key.trim() || DEFAULT_KEY);
}

/** An HTTP error with the gateway's JSON body {"error", "field"}. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.field = body ? body.field : undefined;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-API-Key': apiKey(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { error: text }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** A path with the key as a query parameter (for links and EventSource). */
export function withKey(path) {
  return path + (path.includes('?') ? '&' : '?') + 'key=' + encodeURIComponent(apiKey());
}

/**
 * Subscribes to an SSE stream; `handlers` maps event names (state, metrics, measures, status, phase) to
 * functions of the parsed JSON. EventSource reconnects by itself; the gateway sends the current state first,
 * so a reconnect heals any gap. Returns a function that closes the stream.
 */
export function subscribe(path, handlers, onLiveChange = () => {}) {
  const source = new EventSource(withKey(path));
  source.onopen = () => onLiveChange(true);
  source.onerror = () => onLiveChange(false);
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      handler(data);
    });
  }
  return () => { source.close(); onLiveChange(false); };
}
