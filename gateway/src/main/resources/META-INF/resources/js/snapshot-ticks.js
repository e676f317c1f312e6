// Snapshot ticks under a curve chart: one tick per stored snapshot at its step, coloured by why the trainer took it
// (the snapshotReasons of GET /api/vocabulary, in their order), so a run with adaptive snapshots shows them crowding
// around its transitions. The strip sits in the chart's panel and uses the chart's own x axis for positions.
import { esc } from './format.js';

const COLOURS = ['#8c959f', '#1b1f24', '#bf8700', '#0b5cad', '#8250df', '#1a7f37', '#d1242f', '#bf3989', '#0a7b83'];

/** Draws `checkpoints` ([{step, reason}]) into `el` under `chart` (a LineChart already rendered). */
export function renderSnapshotTicks(el, chart, checkpoints, reasons) {
  const colour = (r) => COLOURS[Math.max(0, reasons.indexOf(r)) % COLOURS.length];
  const rows = [...checkpoints].sort((a, b) => a.step - b.step);
  const counts = {};
  const ticks = rows.map((c) => {
    const x = chart.instance.convertToPixel({ xAxisIndex: 0 }, c.step);
    if (!Number.isFinite(x)) return '';
    const reason = c.reason || reasons[0] || '';
    counts[reason] = (counts[reason] || 0) + 1;
    return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="2" y2="16" stroke="${colour(reason)}" stroke-width="2">`
      + `<title>step ${c.step}: ${esc(reason)}</title></line>`;
  }).join('');
  const legend = Object.entries(counts).map(([r, n]) => `<span style="margin-right:.8rem;white-space:nowrap">`
    + `<span style="display:inline-block;width:.7rem;height:.7rem;background:${colour(r)};margin-right:.25rem"></span>`
    + `${esc(r)} ${n}</span>`).join('');
  el.dataset.ticks = String(Object.values(counts).reduce((a, b) => a + b, 0));
  el.dataset.reasons = JSON.stringify(counts);
  el.innerHTML = rows.length ? `<svg width="100%" height="18" aria-label="snapshots">${ticks}</svg>
    <div class="muted" style="font-size:.8rem;padding:0 .5rem">snapshots: ${legend}</div>` : '';
}
