import { languageForPath, type Language } from '../code-nav/language.js';
import { queryMatches } from '../code-nav/query.js';
import { errorMessage } from '../errors.js';
import { parseDiff } from '../patch/parse-diff.js';
import { ECMA_RULES } from './ecma-rules.js';
import { PYTHON_RULES } from './python-rules.js';
import { ASSIGNMENT_QUERIES, type SecurityRule, type SourceFacts } from './rule.js';
import type { CapturedNode, QueryMatchData } from '../code-nav/query.js';

export const SECURITY_RULES: readonly SecurityRule[] = [...PYTHON_RULES, ...ECMA_RULES];

export interface SecurityFinding {
  rule: string;
  cwe: string;
  title: string;
  file: string;
  /** 1-based line in the patched file. */
  line: number;
  snippet: string;
}

/** The `security` field of report.json. */
export interface SecurityScan {
  findings: SecurityFinding[];
  scanned_files: string[];
  rules_off?: string[];
  /** Set when the scan itself failed: the verdict stands, the scan says so. */
  error?: string;
}

export interface ScanOptions {
  /** Rule ids (or CWE ids) turned off by the config or the repo's spec. */
  disabled?: readonly string[];
  /** The whole file after the patch, when the caller has it; else the hunks are parsed. */
  postPatchFile?: (path: string) => string | undefined;
  /** Names holding untrusted input besides request objects (a probe's parameters). */
  untrusted?: readonly string[];
}

interface FileToScan {
  path: string;
  language: Language;
  source: string;
  /** 0-based rows of `source` that the patch added; absent: the whole text is new. */
  added?: Set<number>;
}

/**
 * The new side of a file's hunks, each at its own line number (the gaps left blank), so a
 * row of the text is a line of the patched file even when only the hunks are known.
 */
function filesOf(patch: string, options: ScanOptions): FileToScan[] {
  const files: FileToScan[] = [];
  for (const diff of parseDiff(patch)) {
    const language = diff.newPath ? languageForPath(diff.newPath) : undefined;
    if (!diff.newPath || !language || diff.isBinary) continue;
    const rows: string[] = [];
    const added = new Set<number>();
    for (const { hunk } of diff.hunks) {
      let row = Math.max(0, hunk.newStart - 1);
      for (const line of hunk.lines) {
        if (line.startsWith('-') || line.startsWith('\\')) continue;
        while (rows.length < row) rows.push('');
        rows[row] = line.slice(1);
        if (line.startsWith('+')) added.add(row);
        row++;
      }
    }
    if (added.size === 0) continue;
    const whole = options.postPatchFile?.(diff.newPath);
    files.push({ path: diff.newPath, language, source: whole ?? rows.join('\n'), added });
  }
  return files;
}

function factsOf(file: FileToScan, assignments: QueryMatchData[][], untrusted: readonly string[]): SourceFacts {
  const byName = new Map<string, CapturedNode[]>();
  for (const match of assignments.flat()) byName.set(match.name!.text, [...(byName.get(match.name!.text) ?? []), match.value!]);
  return { text: file.source, assigned: (name) => byName.get(name) ?? [], untrusted: new Set(untrusted) };
}

async function scanFile(file: FileToScan, rules: SecurityRule[], untrusted: readonly string[] = []): Promise<SecurityFinding[]> {
  const mine = rules.filter((r) => r.languages.includes(file.language));
  const queries = mine.flatMap((r) => r.queries.map((q) => ({ rule: r, q })));
  const assignmentQueries = ASSIGNMENT_QUERIES[file.language];
  const results = await queryMatches(file.source, file.language, [...assignmentQueries, ...queries.map((x) => x.q)]);
  const facts = factsOf(file, results.slice(0, assignmentQueries.length), untrusted);
  const lines = file.source.split('\n');
  const found = new Map<string, SecurityFinding>();
  results.slice(assignmentQueries.length).forEach((matches, i) => {
    const rule = queries[i]!.rule;
    for (const match of matches) {
      const node = match.finding;
      if (!node || (rule.accept && !rule.accept(match, facts))) continue;
      let row = node.startRow;
      while (row <= node.endRow && file.added && !file.added.has(row)) row++;
      if (row > node.endRow) continue; // only what the patch adds is the patch's
      const key = `${rule.id}:${row}`;
      if (!found.has(key)) found.set(key, { rule: rule.id, cwe: rule.cwe, title: rule.title, file: file.path, line: row + 1, snippet: (lines[row] ?? '').trim().slice(0, 200) });
    }
  });
  return [...found.values()];
}

function enabledRules(disabled: readonly string[] = []): SecurityRule[] {
  const off = new Set(disabled);
  return SECURITY_RULES.filter((r) => !off.has(r.id) && !off.has(r.cwe));
}

/**
 * Scans a whole source text (a generated function, a file) with the same rules as patches;
 * `file` names it in the findings. Throws when the text cannot be scanned.
 */
export async function scanSource(source: string, language: Language, file: string, options: Pick<ScanOptions, 'disabled' | 'untrusted'> = {}): Promise<SecurityFinding[]> {
  return scanFile({ path: file, language, source }, enabledRules(options.disabled), options.untrusted);
}

/** Scans the lines a patch adds to Python, JavaScript and TypeScript files. */
export async function scanPatch(patch: string | null, options: ScanOptions = {}): Promise<SecurityScan> {
  const off = new Set(options.disabled ?? []);
  const rules = enabledRules(options.disabled);
  const scan: SecurityScan = { findings: [], scanned_files: [] };
  if (off.size > 0) scan.rules_off = [...off].sort();
  if (!patch?.trim()) return scan;
  try {
    for (const file of filesOf(patch, options)) {
      scan.scanned_files.push(file.path);
      scan.findings.push(...(await scanFile(file, rules, options.untrusted)));
    }
  } catch (err) {
    scan.error = `security scan failed: ${errorMessage(err)}`;
  }
  scan.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  return scan;
}

/** The grading hook: the scan as the config and the repo's spec set it, or nothing when off. */
export async function scanForReport(patch: string | null, settings: { enabled: boolean; disabled_rules: string[] }, specDisabled: string[] = []): Promise<SecurityScan | undefined> {
  if (!settings.enabled) return undefined;
  return scanPatch(patch, { disabled: [...settings.disabled_rules, ...specDisabled] });
}
