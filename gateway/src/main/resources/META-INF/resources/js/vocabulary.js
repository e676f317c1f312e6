// The platform's words, served by the gateway from `contracts` (GET /api/vocabulary, GET /api/presets) and fetched
// once per page load: statuses, phases, the grok criterion, the progress measures' names, and the presets a create
// body starts from. The dashboard never spells a measure name or a default itself.
import { api } from './api.js';

let vocabularyOnce = null;
let presetsOnce = null;

/** The vocabulary, with `measure`: the measures by their `contracts` constant (RESTRICTED_LOSS -> its word). */
export function vocabulary() {
  vocabularyOnce = vocabularyOnce || api('/api/vocabulary').then((v) => ({
    ...v,
    measure: Object.fromEntries(v.measures.map((m) => [m.id, m])),
  }));
  vocabularyOnce.catch(() => { vocabularyOnce = null; });   // a failed fetch is tried again next time
  return vocabularyOnce;
}

/** The presets by name ({nanda: create body with every field}). */
export function presets() {
  presetsOnce = presetsOnce || api('/api/presets');
  presetsOnce.catch(() => { presetsOnce = null; });
  return presetsOnce;
}
