import { createHash } from 'node:crypto';
import { html, trusted, type Html } from './escape.js';

const CSS = `
:root{--ok:#2e7d32;--bad:#c62828;--err:#ef6c00;--muted:#607d8b;--line:#dde3e8}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px;color:#1b2733}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid var(--line)}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f6f8;cursor:pointer;user-select:none}th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
.cards{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:110px}
.card b{display:block;font-size:20px}.muted{color:var(--muted)}
.v-RESOLVED{color:var(--ok);font-weight:600}.v-NO,.v-PARTIAL{color:var(--bad);font-weight:600}.v-ERROR{color:var(--err);font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:16px}.plot{margin:0}.plot figcaption{font-weight:600}.plot svg{font-size:11px}
pre{background:#f7f9fa;border:1px solid var(--line);padding:8px;overflow:auto;max-height:480px;white-space:pre-wrap;word-break:break-word}
.diff .add{color:#1b5e20;background:#e8f5e9}.diff .del{color:#b71c1c;background:#ffebee}.diff .hunk{color:#6a1b9a}.diff .file{font-weight:700}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}summary{cursor:pointer}
details.step{margin-left:8px}.finding{color:var(--bad)}.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:center}
`;

const SCRIPT = `(() => {
  const table = document.getElementById('instances');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const filters = Array.from(document.querySelectorAll('[data-filter]'));
  const text = document.getElementById('filter-text');
  const shown = document.getElementById('shown');
  function apply() {
    const needle = text ? text.value.toLowerCase() : '';
    let n = 0;
    for (const row of rows) {
      const ok = filters.every((f) => !f.value || row.dataset[f.dataset.filter] === f.value) && (!needle || (row.dataset.id || '').toLowerCase().includes(needle));
      row.hidden = !ok;
      if (ok) n++;
    }
    if (shown) shown.textContent = String(n);
  }
  for (const f of filters) f.addEventListener('change', apply);
  if (text) text.addEventListener('input', apply);
  Array.from(table.tHead.rows[0].cells).forEach((th, col) => th.addEventListener('click', () => {
    const dir = th.dataset.dir === 'asc' ? 'desc' : 'asc';
    for (const other of table.tHead.rows[0].cells) delete other.dataset.dir;
    th.dataset.dir = dir;
    const key = (r) => { const c = r.cells[col]; return c.dataset.sort !== undefined ? c.dataset.sort : c.textContent; };
    const numeric = rows.every((r) => r.cells[col].dataset.sort !== undefined);
    rows.sort((a, b) => { const x = key(a), y = key(b); const c = numeric ? Number(x) - Number(y) : x.localeCompare(y); return dir === 'asc' ? c : -c; });
    for (const r of rows) body.appendChild(r);
  }));
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[data-open]') : null;
    const target = a ? document.getElementById(a.dataset.open) : null;
    if (target) target.open = true;
  });
  apply();
})();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * A whole page: inline CSS and script only, and a Content-Security-Policy that allows exactly
 * those two (by hash) and nothing from the network, as a second wall behind the escaping.
 */
export function page(title: string, body: Html): string {
  const csp = `default-src 'none'; img-src data:; style-src ${sha256(CSS)}; script-src ${sha256(SCRIPT)}`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(CSS)}</style></head>
<body>${body}<script>${trusted(SCRIPT)}</script></body></html>
`.text;
}
