import type { SymbolDef } from './symbol-def.js';

/**
 * An outline as a model reads it: line range, then the signature indented by nesting.
 *
 *   3-40  class Model(Base):
 *   5-12    def save(self):
 */
export function formatOutline(defs: SymbolDef[]): string {
  if (defs.length === 0) return '(no definitions found)';
  const ranges = defs.map((d) => (d.endLine > d.line ? `${d.line}-${d.endLine}` : `${d.line}`));
  const width = Math.max(...ranges.map((r) => r.length));
  return defs
    .map((d, i) => {
      const depth = d.container ? d.container.split('.').length : 0;
      return `${(ranges[i] ?? '').padStart(width)}  ${'  '.repeat(depth)}${d.signature}`;
    })
    .join('\n');
}
