/** The languages the code-navigation tools can parse; tsx is TypeScript with JSX. */
export type Language = 'python' | 'javascript' | 'typescript' | 'tsx';

const BY_EXTENSION: Record<string, Language> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  // The JavaScript grammar parses JSX itself; only TypeScript needs a separate tsx grammar.
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
};

/** The language of a file by its extension, or undefined for files we cannot parse. */
export function languageForPath(path: string): Language | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}
