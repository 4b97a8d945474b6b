import path from 'node:path';
import { HarnessError } from '../errors.js';
import { isRemoteSource } from '../repo/history.js';

/** A --since/--until/--created-* date: ISO (2024-01-31, 2024-01-31T12:00:00Z), else an error naming the flag. */
export function parseDateOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()) || Number.isNaN(Date.parse(value))) {
    throw new HarnessError('USAGE', `${flag} takes a date such as 2024-01-31 or 2024-01-31T12:00:00Z, not ${JSON.stringify(value)}`, { field: flag });
  }
  return new Date(Date.parse(value)).toISOString();
}

function safePart(text: string): string {
  return text.replace(/\.git$/, '').replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '').slice(0, 60) || 'repo';
}

/**
 * The owner/name a mined repository goes by (it names the spec file and the instance ids):
 * a URL's last two path parts, or `local/<folder name>` for a repository on this machine.
 */
export function minedRepoName(source: string): string {
  if (isRemoteSource(source)) {
    const parts = source.replace(/^[^:]+:\/*/, '').split(/[/:]/).filter(Boolean);
    return `${safePart(parts.at(-2) ?? 'remote')}/${safePart(parts.at(-1) ?? 'repo')}`;
  }
  const base = path.basename(path.resolve(source));
  return `local/${safePart(base === '.git' || base === 'repo' ? path.basename(path.dirname(path.resolve(source))) : base)}`;
}
