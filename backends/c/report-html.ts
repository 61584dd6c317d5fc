/**
 * `qcc info --html report.html`: one self-contained page (inline SVG and CSS, no scripts or external
 * files) with the memory timeline (arena offset vs layer, one box per buffer, in-place and view buffers
 * marked, the live-bytes curve, the peak and the lower bound) and per-layer MACs, then the layer table.
 */
import { placementText, type MemoryReport, type TimelineBox } from './report.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const digits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const fmtBytes = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** A pleasant, stable color per buffer name. */
function hue(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h % 360;
}

function timeline(r: MemoryReport): string {
  const steps = r.layers.length;
  const W = Math.max(640, Math.min(1400, 120 + steps * 36));
  const H = 420;
  const left = 80, right = 20, top = 20, bottom = 90;
  const pw = W - left - right, ph = H - top - bottom;
  const ymax = Math.max(1, r.totals.arenaBytes, r.totals.lowerBound);
  const x = (s: number) => left + (s / Math.max(1, steps)) * pw;
  const y = (b: number) => top + ph - (b / ymax) * ph;
  const parts: string[] = [];
  // axes and grid
  for (let i = 0; i <= 4; i++) {
    const b = (ymax * i) / 4;
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(b).toFixed(1)}" y2="${y(b).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(b) + 4).toFixed(1)}" class="tick" text-anchor="end">${esc(fmtBytes(Math.round(b)))}</text>`);
  }
  r.layers.forEach((l, i) => {
    const cx = (x(i) + x(i + 1)) / 2;
    parts.push(`<text transform="translate(${cx.toFixed(1)},${top + ph + 8}) rotate(60)" class="tick">${esc(l.name.length > 18 ? l.name.slice(0, 17) + '…' : l.name)}</text>`);
  });
  // buffers
  const box = (b: TimelineBox) => {
    const x0 = x(b.start), x1 = x(b.end + 1);
    const y0 = y(b.offset + b.size), y1 = y(b.offset);
    const h = Math.max(1, y1 - y0);
    const cls = b.kind === 'scratch' ? 'scratch' : b.how ? `shared ${b.how}` : 'value';
    // A storage group (a tensor and those written over it or viewing it) shares one hue.
    const fill = b.kind === 'scratch' ? '#bbb' : `hsl(${hue(b.group)},55%,${b.how ? 72 : 62}%)`;
    const tip = `${b.kind === 'scratch' ? 'scratch of ' : ''}${b.name}: [${b.offset}, ${b.offset + b.size}) ${b.size} bytes, layers ${b.start}..${b.end}` +
      (b.how ? ` (${b.how}: shares bytes with an earlier tensor)` : '');
    const label = x1 - x0 > 46 && h > 12 ? `<text x="${(x0 + 3).toFixed(1)}" y="${(y0 + Math.min(h - 3, 12)).toFixed(1)}" class="lbl">${esc(b.name.slice(0, Math.floor((x1 - x0) / 6.5)))}</text>` : '';
    return `<g class="${cls}"><title>${esc(tip)}</title><rect x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${Math.max(1, x1 - x0 - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>${label}</g>`;
  };
  for (const b of [...r.buffers].sort((a, c) => (a.how ? 1 : 0) - (c.how ? 1 : 0))) parts.push(box(b));
  // live-bytes curve (its max is the lower bound), peak and bound lines
  const pts: string[] = [];
  r.liveBytes.forEach((v, i) => pts.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`, `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`));
  if (pts.length) parts.push(`<polyline points="${pts.join(' ')}" class="live"><title>bytes live at each layer</title></polyline>`);
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(r.totals.arenaBytes).toFixed(1)}" y2="${y(r.totals.arenaBytes).toFixed(1)}" class="peak"/>`);
  parts.push(`<text x="${W - right}" y="${(y(r.totals.arenaBytes) - 4).toFixed(1)}" text-anchor="end" class="peaktxt">arena ${esc(digits(r.totals.arenaBytes))} B</text>`);
  if (r.totals.lowerBound !== r.totals.arenaBytes) {
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(r.totals.lowerBound).toFixed(1)}" y2="${y(r.totals.lowerBound).toFixed(1)}" class="bound"/>`);
    parts.push(`<text x="${left + 4}" y="${(y(r.totals.lowerBound) - 4).toFixed(1)}" class="boundtxt">lower bound ${esc(digits(r.totals.lowerBound))} B</text>`);
  }
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" class="axis"/><line x1="${left}" x2="${W - right}" y1="${top + ph}" y2="${top + ph}" class="axis"/>`);
  parts.push(`<text transform="translate(16,${top + ph / 2}) rotate(-90)" text-anchor="middle" class="axlbl">arena offset</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="memory timeline">${parts.join('')}</svg>`;
}

function macsChart(r: MemoryReport): string {
  const steps = r.layers.length;
  const W = Math.max(640, Math.min(1400, 120 + steps * 36));
  const H = 170, left = 80, right = 20, top = 10, bottom = 20;
  const pw = W - left - right, ph = H - top - bottom;
  const max = Math.max(1, ...r.layers.map((l) => l.macs));
  const parts: string[] = [];
  r.layers.forEach((l, i) => {
    const bw = pw / Math.max(1, steps);
    const h = (l.macs / max) * ph;
    parts.push(`<g><title>${esc(`${l.name} (${l.op}): ${digits(l.macs)} MACs`)}</title><rect x="${(left + i * bw + 1).toFixed(1)}" y="${(top + ph - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${Math.max(l.macs > 0 ? 1 : 0, h).toFixed(1)}" class="mac"/></g>`);
  });
  parts.push(`<text x="${left - 6}" y="${top + 10}" text-anchor="end" class="tick">${esc(digits(max))}</text><text x="${left - 6}" y="${top + ph}" text-anchor="end" class="tick">0</text>`);
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${top + ph}" y2="${top + ph}" class="axis"/>`);
  parts.push(`<text transform="translate(16,${top + ph / 2}) rotate(-90)" text-anchor="middle" class="axlbl">MACs</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="MACs per layer">${parts.join('')}</svg>`;
}

/** The whole page. */
export function memoryReportHtml(r: MemoryReport): string {
  const t = r.totals;
  const rows = r.layers
    .map((l) => `<tr><td>${l.step}</td><td>${esc(l.name)}</td><td>${esc(l.op)}${l.view ? ' <i>(view)</i>' : ''}</td>` +
      `<td>${esc(l.outputs.map((o) => `${o.dtype}[${o.shape.join('×')}]`).join(', '))}</td><td class="n">${digits(l.macs)}</td>` +
      `<td class="n">${digits(l.flashBytes)}</td><td class="n">${digits(l.activationBytesIn)}</td><td class="n">${digits(l.activationBytesOut)}</td>` +
      `<td>${esc(l.outputs.map((o) => placementText(o.placement)).join(', '))}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>qcc report: ${esc(r.model)} (${esc(r.target)})</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1450px}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 6px} .sub{color:#666}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:130px}.card b{display:block;font-size:18px}
svg text{font:11px system-ui,sans-serif} .tick{fill:#555} .axlbl{fill:#333;font-size:12px} .lbl{fill:#222;font-size:10px}
.grid{stroke:#eee} .axis{stroke:#888} rect{stroke:#fff;stroke-width:.5}
.shared rect{stroke:#333;stroke-dasharray:3 2;stroke-width:.8}
.live{fill:none;stroke:#d33;stroke-width:1.5} .peak{stroke:#222;stroke-dasharray:6 3} .bound{stroke:#d33;stroke-dasharray:2 3}
.peaktxt{fill:#222} .boundtxt{fill:#d33} .mac{fill:#4a7fc1}
table{border-collapse:collapse;font-size:13px} td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:14px} .sw{display:inline-block;width:12px;height:12px;vertical-align:-2px;margin-right:4px;border:1px solid #999}
.note{background:#fff6e0;border:1px solid #eed490;padding:8px 12px;border-radius:6px}
</style></head><body>
<h1>${esc(r.model)}</h1><div class="sub">target ${esc(r.target)}, C prefix ${esc(r.name)}, ${r.layers.length} layers</div>
<div class="cards">
<div class="card">arena peak<b>${esc(fmtBytes(t.arenaBytes))}</b>${digits(t.arenaBytes)} B, align ${t.arenaAlign}</div>
<div class="card">lower bound<b>${esc(fmtBytes(t.lowerBound))}</b>peak / bound ${Number.isFinite(t.ratio) ? t.ratio.toFixed(3) : '∞'}</div>
<div class="card">without in-place<b>${esc(fmtBytes(t.lowerBoundNoAlias))}</b>bound if nothing shared</div>
<div class="card">flash (const arrays)<b>${esc(fmtBytes(t.flashBytes))}</b>${digits(t.flashBytes)} B in ${t.constantArrays} arrays</div>
<div class="card">compute<b>${esc(digits(t.macs))}</b>MACs per inference</div>
</div>
${r.note ? `<p class="note">${esc(r.note)}</p>` : ''}
<h2>Memory timeline</h2>
<div class="legend"><span><i class="sw" style="background:hsl(200,55%,62%)"></i>tensor</span><span><i class="sw" style="background:hsl(200,55%,72%);border-style:dashed;border-color:#333"></i>in place / view (same bytes as an earlier tensor)</span><span><i class="sw" style="background:#bbb"></i>kernel scratch</span><span><i class="sw" style="border-color:#d33;border-width:1px 0 0 0;height:0"></i>bytes live (max = lower bound)</span></div>
${timeline(r)}
<h2>MACs per layer</h2>
${macsChart(r)}
<h2>Layers</h2>
<table><thead><tr><th>#</th><th>layer</th><th>op</th><th>output</th><th>MACs</th><th>flash B</th><th>act in B</th><th>act out B</th><th>output at</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
