/** A file's content before the diff and as the diff leaves it; null = does not exist. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

/**
 * The files a diff touches, each read once, so several sections of one diff that name the
 * same file apply on top of each other. Nothing is written: the caller gets the changes.
 */
export class FileStates {
  private readonly files = new Map<string, { before: string | null; after: string | null }>();

  constructor(private readonly readFile: (path: string) => Promise<string | null>) {}

  async read(path: string): Promise<string | null> {
    let file = this.files.get(path);
    if (!file) {
      const before = await this.readFile(path);
      file = { before, after: before };
      this.files.set(path, file);
    }
    return file.after;
  }

  async write(path: string, after: string | null): Promise<void> {
    await this.read(path);
    const file = this.files.get(path);
    if (file) file.after = after;
  }

  /** Files whose content differs from what they started as, in the order the diff names them. */
  changes(): FileChange[] {
    return [...this.files]
      .filter(([, f]) => f.before !== f.after)
      .map(([path, f]) => ({ path, before: f.before, after: f.after }));
  }
}
