/** Single-quotes a word for POSIX shells. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A here-document delimiter that does not occur as a line of `body`. */
export function heredocDelimiter(body: string, base = 'EOF_SWE_HARNESS'): string {
  const lines = new Set(body.split('\n'));
  let delimiter = base;
  for (let i = 0; lines.has(delimiter); i++) delimiter = `${base}_${i}`;
  return delimiter;
}
