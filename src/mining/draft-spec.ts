import type { Language } from './test-files.js';

/** The spec entry a draft proposes (config/specs format), before the schema fills defaults. */
export interface DraftEntry {
  versions: string[];
  base: string;
  language_version: string;
  system_packages: string[];
  install: string[];
  test_cmd: string;
  log_parser: string;
  env: Record<string, string>;
  timeouts: { test: number };
}

/** A drafted spec and what it was drafted from: one line per file read and what it decided. */
export interface DraftSpec {
  language: Language;
  entry: DraftEntry;
  notes: string[];
}

/** The version every mined instance carries: the drafted spec has one entry, for it. */
export const MINED_VERSION = 'mined';

/** A repository's files at one commit: names, and the text of any of them. */
export interface RepoFiles {
  files: string[];
  read(file: string): Promise<string | undefined>;
}

const EXTENSIONS: Record<Language, RegExp> = {
  python: /\.py$/,
  javascript: /\.(m|c)?[jt]sx?$/,
  go: /\.go$/,
  rust: /\.rs$/,
  java: /\.(java|kt)$/,
};

const MARKERS: Record<Language, string[]> = {
  python: ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt'],
  javascript: ['package.json'],
  go: ['go.mod'],
  rust: ['Cargo.toml'],
  java: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
};

/** The language: the one whose build file is at the root; among several, the most source files. */
export function detectLanguage(files: string[]): Language | undefined {
  const languages = Object.keys(MARKERS) as Language[];
  const sources = (l: Language) => files.filter((f) => EXTENSIONS[l].test(f)).length;
  const marked = languages.filter((l) => MARKERS[l].some((m) => files.includes(m)));
  const pool = marked.length > 0 ? marked : languages.filter((l) => sources(l) > 0);
  return pool.sort((a, b) => sources(b) - sources(a))[0];
}

function entry(base: string, languageVersion: string, rest: Partial<DraftEntry> & Pick<DraftEntry, 'test_cmd' | 'log_parser'>): DraftEntry {
  return { versions: [MINED_VERSION], base, language_version: languageVersion, system_packages: [], install: [], env: {}, timeouts: { test: 600 }, ...rest };
}

/** Requirement names (PEP 508's leading name) from requirements.txt lines or a TOML/cfg list. */
export function requirementNames(text: string): string[] {
  const names = text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().replace(/^["']|["'],?$/g, ''))
    .filter((l) => l !== '' && !l.startsWith('-'))
    .map((l) => /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(l)?.[1] ?? '')
    .filter(Boolean);
  return [...new Set(names.map((n) => n.toLowerCase().replace(/[._]/g, '-')))];
}

/** Debian names Python packages python3-<name>; the ones it spells otherwise. */
const DEBIAN_PYTHON: Record<string, string> = { pyyaml: 'python3-yaml', 'attrs': 'python3-attr', pytest: 'python3-pytest', 'typing-extensions': 'python3-typing-extensions' };
const BUILD_BACKENDS: Record<string, string> = { hatchling: 'python3-hatchling', 'flit_core': 'python3-flit', 'poetry.core': 'python3-poetry-core', 'setuptools_scm': 'python3-setuptools-scm', 'pdm.backend': 'python3-pdm-backend' };

function pyprojectDependencies(pyproject: string): string[] {
  const block = /^\s*dependencies\s*=\s*\[([\s\S]*?)\]/m.exec(pyproject)?.[1] ?? '';
  return requirementNames(block.replace(/,/g, '\n'));
}

async function draftPython(repo: RepoFiles, notes: string[]): Promise<DraftEntry> {
  const packages = new Set(['python3-pytest']);
  const deps: string[] = [];
  for (const file of ['requirements.txt', 'requirements-dev.txt', 'requirements/test.txt']) {
    const text = await repo.read(file);
    if (text === undefined) continue;
    deps.push(...requirementNames(text));
    notes.push(`${file}: dependencies from Debian (python3-<name>)`);
  }
  const pyproject = await repo.read('pyproject.toml');
  if (pyproject !== undefined) {
    deps.push(...pyprojectDependencies(pyproject));
    for (const [backend, pkg] of Object.entries(BUILD_BACKENDS)) if (pyproject.includes(backend)) packages.add(pkg);
    notes.push('pyproject.toml: [project] dependencies and build backend');
  }
  for (const dep of deps) packages.add(DEBIAN_PYTHON[dep] ?? `python3-${dep}`);
  const installable = ['pyproject.toml', 'setup.py', 'setup.cfg'].filter((f) => repo.files.includes(f));
  // Offline: no index to fetch build dependencies from; Debian's packages provide them.
  const install = installable.length > 0 ? ['python3 -m pip install --no-deps --no-build-isolation -e .'] : [];
  notes.push(installable.length > 0 ? `${installable[0]}: installed in place (pip -e, no dependencies from an index)` : 'no setup file: run from source (python3 -m puts /testbed on sys.path)');
  notes.push('tests: pytest (it runs unittest tests too), -rA for a status line per test');
  return entry('python', '3.11', {
    system_packages: [...packages].sort(),
    install,
    test_cmd: 'python3 -m pytest -rA -p no:cacheprovider {tests}',
    log_parser: 'pytest',
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  });
}

/** The runner package.json's test script names, and how to make it print what its parser reads. */
const JS_RUNNERS: Array<{ word: RegExp; cmd: string; parser: string }> = [
  { word: /\bjest\b/, cmd: 'npx jest --verbose {tests}', parser: 'jest' },
  { word: /\bvitest\b/, cmd: 'npx vitest run --reporter=verbose {tests}', parser: 'vitest' },
  { word: /\bmocha\b/, cmd: 'npx mocha --reporter spec {tests}', parser: 'mocha' },
];

async function draftJavaScript(repo: RepoFiles, notes: string[]): Promise<DraftEntry> {
  const pkg = JSON.parse((await repo.read('package.json')) ?? '{}') as { scripts?: Record<string, string>; dependencies?: object; devDependencies?: object };
  const script = pkg.scripts?.test ?? '';
  const runner = JS_RUNNERS.find((r) => r.word.test(script));
  notes.push(`package.json: test script ${JSON.stringify(script || '(none)')} -> ${runner ? runner.parser : "node's test runner (TAP)"}`);
  const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
  const lock = ['package-lock.json', 'npm-shrinkwrap.json'].find((f) => repo.files.includes(f));
  const install = hasDeps ? [lock ? 'npm ci --ignore-scripts --no-audit --no-fund' : 'npm install --ignore-scripts --no-audit --no-fund'] : [];
  if (hasDeps) notes.push(`${lock ?? 'package.json'}: dependencies installed with npm (needs the npm registry)`);
  else notes.push('package.json: no dependencies, nothing to install');
  return entry('node', '18', {
    system_packages: hasDeps ? ['npm'] : [],
    install,
    test_cmd: runner?.cmd ?? 'node --test {tests}',
    log_parser: runner?.parser ?? 'node-tap',
  });
}

async function draftGo(repo: RepoFiles, notes: string[]): Promise<DraftEntry> {
  const mod = (await repo.read('go.mod')) ?? '';
  const requires = /^require\b/m.test(mod);
  notes.push(`go.mod: ${requires ? 'has requirements: go mod download (needs the module proxy)' : 'standard library only, builds offline'}`);
  return entry('go', '1.19', {
    install: [...(requires ? ['go mod download'] : []), 'go build ./...'],
    // go test runs packages, not files: every package's tests run and are named by test.
    test_cmd: 'go test -v ./...',
    log_parser: 'gotest',
  });
}

async function draftRust(_repo: RepoFiles, notes: string[]): Promise<DraftEntry> {
  notes.push("Cargo.toml: Debian's cargo, offline (vendor crates or add them in env_setup)");
  return entry('rust', '1.63', { install: ['cargo build --offline --tests'], test_cmd: 'cargo test --offline --no-fail-fast', log_parser: 'cargo' });
}

async function draftJava(repo: RepoFiles, notes: string[]): Promise<DraftEntry> {
  if (repo.files.includes('pom.xml')) {
    notes.push('pom.xml: maven, dependencies resolved at image build');
    return entry('java', '17', { install: ['mvn -B -q -DskipTests install'], test_cmd: 'mvn -B test', log_parser: 'maven' });
  }
  notes.push('build.gradle: gradle from Debian');
  return entry('java', '17', { system_packages: ['gradle'], install: ['gradle --offline classes testClasses'], test_cmd: 'gradle --offline test', log_parser: 'gradle' });
}

const DRAFTERS: Record<Language, (repo: RepoFiles, notes: string[]) => Promise<DraftEntry>> = {
  python: draftPython,
  javascript: draftJavaScript,
  go: draftGo,
  rust: draftRust,
  java: draftJava,
};

/** A spec drafted from the repository's own files, for the user to review; undefined: no language found. */
export async function draftSpec(repo: RepoFiles): Promise<DraftSpec | undefined> {
  const language = detectLanguage(repo.files);
  if (!language) return undefined;
  const notes: string[] = [];
  return { language, entry: await DRAFTERS[language](repo, notes), notes };
}
