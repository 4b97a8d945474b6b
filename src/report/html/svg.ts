import { html, type Html } from './escape.js';

export interface Bar {
  label: string;
  /** Stacked parts, drawn left to right in the given colours. */
  parts: Array<{ value: number; colour: string; title: string }>;
}

/** A horizontal bar chart as inline SVG: one row a bar, labels escaped like any text. */
export function barChart(title: string, bars: Bar[], unit = ''): Html {
  if (bars.length === 0) return html`<figure class="plot"><figcaption>${title}</figcaption><p class="muted">no data</p></figure>`;
  const rowH = 18;
  const labelW = 170;
  const plotW = 300;
  const max = Math.max(1e-9, ...bars.map((b) => b.parts.reduce((s, p) => s + p.value, 0)));
  const height = bars.length * rowH + 10;
  const rows = bars.map((bar, i) => {
    const y = i * rowH + 4;
    let x = labelW;
    const total = bar.parts.reduce((s, p) => s + p.value, 0);
    const rects = bar.parts.map((p) => {
      const w = (p.value / max) * plotW;
      const rect = html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${p.colour}"><title>${p.title}</title></rect>`;
      x += w;
      return rect;
    });
    const label = bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label;
    return html`<text x="${labelW - 6}" y="${y + rowH - 8}" text-anchor="end">${label}<title>${bar.label}</title></text>${rects}<text x="${(x + 4).toFixed(1)}" y="${y + rowH - 8}">${formatValue(total)}${unit}</text>`;
  });
  return html`<figure class="plot"><figcaption>${title}</figcaption><svg role="img" viewBox="0 0 ${labelW + plotW + 70} ${height}" width="${labelW + plotW + 70}" height="${height}">${rows}</svg></figure>`;
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v < 0.01 ? v.toExponential(1) : v.toFixed(2);
}

export const COLOURS = { resolved: '#2e7d32', unresolved: '#c62828', error: '#ef6c00', neutral: '#1565c0', muted: '#90a4ae' };
