/**
 * The prompt templates of agent configs: text with `{{field}}` for a field's value and
 * `{{#field}}...{{/field}}` for a part shown only when the field is not empty. Nothing else:
 * no expressions, no loops, no partials, so a template cannot run code or read beyond the
 * fields it is given, and every mistake is found when the config is loaded, not mid-run.
 * Values are inserted as they are and never read as templates themselves.
 */

const TAG = /\{\{\s*([#/]?)\s*([A-Za-z_][\w]*)\s*\}\}/g;

type Node = { text: string } | { field: string } | { section: string; children: Node[] };

interface Parsed {
  nodes: Node[];
  problems: string[];
}

/** Parses a template; `fields` are the names it may use. Problems are returned, all of them. */
export function parseTemplate(source: string, fields: readonly string[]): Parsed {
  const problems: string[] = [];
  const root: Node[] = [];
  const stack: Array<{ section: string; children: Node[] }> = [];
  const current = () => stack.at(-1)?.children ?? root;
  let at = 0;
  for (const match of source.matchAll(TAG)) {
    addText(source.slice(at, match.index), current(), problems);
    at = match.index + match[0].length;
    const [, kind, name = ''] = match;
    if (!fields.includes(name)) problems.push(`unknown field {{${name}}}; known: ${fields.join(', ')}`);
    if (kind === '#') {
      const section = { section: name, children: [] as Node[] };
      current().push(section);
      stack.push(section);
    } else if (kind === '/') {
      const open = stack.pop();
      if (open?.section !== name) problems.push(`{{/${name}}} closes ${open ? `{{#${open.section}}}` : 'nothing'}`);
    } else {
      current().push({ field: name });
    }
  }
  addText(source.slice(at), current(), problems);
  for (const open of stack) problems.push(`{{#${open.section}}} is never closed`);
  return { nodes: root, problems };
}

function addText(text: string, into: Node[], problems: string[]): void {
  if (text.includes('{{') || text.includes('}}')) {
    const near = text.slice(Math.max(0, text.search(/\{\{|\}\}/) - 10)).slice(0, 40);
    problems.push(`malformed tag near ${JSON.stringify(near)}: use {{field}} or {{#field}}...{{/field}}`);
  }
  if (text) into.push({ text });
}

/** Renders a template that parsed without problems. */
export function renderTemplate(source: string, values: Record<string, string>): string {
  const { nodes, problems } = parseTemplate(source, Object.keys(values));
  if (problems.length > 0) throw new Error(`template: ${problems.join('; ')}`);
  return renderNodes(nodes, values);
}

function renderNodes(nodes: Node[], values: Record<string, string>): string {
  return nodes
    .map((node) => {
      if ('text' in node) return node.text;
      if ('field' in node) return values[node.field] ?? '';
      return (values[node.section] ?? '').trim() === '' ? '' : renderNodes(node.children, values);
    })
    .join('');
}

/** The fields a template uses, for computing only those that cost something (the repo tree). */
export function templateFields(source: string): string[] {
  return [...source.matchAll(TAG)].map((m) => m[2] ?? '');
}
