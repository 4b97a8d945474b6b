/**
 * How tests of Node's built-in runner (`node --test`) are named, whichever reporter printed
 * them: the names of the enclosing suites and subtests, then the test's own, joined by
 * ` > ` (`checkout > with voucher`).
 *
 * Node 18 before 18.19 ran each test file as a subtest named by the file's path, so every
 * name would carry a path that differs between machines. A top-level level whose name looks
 * like a script path (no spaces, a .js/.mjs/.cjs/.ts/.mts/.cts/.jsx/.tsx ending) is
 * therefore left out of the names below it. The file's own result is still recorded under
 * its path: that is how Node reports a file that failed to load.
 */
export const NAME_SEPARATOR = ' > ';

const SCRIPT_PATH = /^\S+\.(?:[cm]?[jt]s|[jt]sx)$/;

export function isScriptPath(name: string): boolean {
  return SCRIPT_PATH.test(name);
}

/** Enclosing names open at each nesting level; a level's entry replaces deeper ones. */
export class NameStack {
  private readonly names: string[] = [];

  /** A suite or subtest opens at `level` (0 = top). */
  open(level: number, name: string): void {
    this.names.length = Math.min(this.names.length, level);
    this.names[level] = name;
  }

  /** The full name of a test reported at `level`; closes everything at or below it. */
  close(level: number, name: string): string {
    const parents: string[] = [];
    for (let i = 0; i < level; i++) {
      const parent = this.names[i];
      if (parent === undefined || (i === 0 && isScriptPath(parent))) continue;
      parents.push(parent);
    }
    this.names.length = Math.min(this.names.length, level);
    return [...parents, name].join(NAME_SEPARATOR);
  }
}
