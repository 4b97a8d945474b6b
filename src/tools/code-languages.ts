/**
 * The file extensions code-nav parses (see src/code-nav/language.ts), spelled out for the
 * tools: find_symbol's `git grep` pathspecs and the messages that name what is supported.
 */
export const CODE_EXTENSIONS = ['py', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'mts', 'cts'] as const;

export const SUPPORTED_LANGUAGES = 'Python (.py), JavaScript (.js .mjs .cjs .jsx) and TypeScript (.ts .tsx .mts .cts)';
