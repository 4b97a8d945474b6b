import { stringify } from 'yaml';
import { parseRepoSpec } from './spec-registry.js';

/**
 * A spec as YAML for a person to review and commit: the notes first, as comments, saying
 * which file of the repository each choice came from; then the spec, checked by the same
 * parser that will read it back.
 */
export function formatRepoSpec(spec: Record<string, unknown>, notes: string[], file: string): string {
  const header = notes.map((n) => `# ${n.replace(/\n/g, ' ')}`).join('\n');
  const text = `${header}${header ? '\n' : ''}${stringify(spec, { lineWidth: 0 })}`;
  parseRepoSpec(text, file, typeof spec.repo === 'string' ? spec.repo : undefined);
  return text;
}
