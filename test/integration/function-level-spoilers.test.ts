import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { validateProblemRecords } from '../../src/function-level/load-problems.js';
import type { Sample } from '../../src/function-level/problem.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';

/**
 * Samples that try to decide the verdicts of the samples after them in the same slot, through
 * what toolchains read without being asked: files in the folders above a job's (Node's
 * package.json and node_modules, TypeScript's node_modules/@types, Go's go.work), and the Go
 * build cache. Each spoiler is followed by an innocent sample of the language it aims at,
 * which must pass (and, for the planted module, must not see it).
 */

/** Writes `name` with `text` in every folder above the job's that it can write, up to /. */
const plantAbove = (name: string, text: string) => `const fs = require('node:fs');
const path = require('node:path');
let dir = process.cwd();
const planted = [];
while (path.dirname(dir) !== dir) {
  dir = path.dirname(dir);
  try {
    fs.mkdirSync(path.dirname(path.join(dir, ${JSON.stringify(name)})), { recursive: true });
    fs.writeFileSync(path.join(dir, ${JSON.stringify(name)}), ${JSON.stringify(text)});
    planted.push(dir);
  } catch {}
}
console.log('planted in', planted);
`;

const GO_HEADER = 'package spoil_test\n\nimport (\n\t"os"\n\t"path/filepath"\n\t"strings"\n\t"testing"\n)\n\n';
/** Zeroes every output in the Go build cache it is given, and in the slot's, if it can reach it. */
const GO_POISON = `func TestPoison(t *testing.T) {
\tfor _, root := range []string{os.Getenv("GOCACHE"), "/opt/swe-harness/work"} {
\t\tfilepath.Walk(root, func(p string, info os.FileInfo, err error) error {
\t\t\tif err == nil && !info.IsDir() && strings.HasSuffix(p, "-d") {
\t\t\t\tos.WriteFile(p, make([]byte, info.Size()), 0o644)
\t\t\t}
\t\t\treturn nil
\t\t})
\t}
}
`;
const GO_INNOCENT = 'func TestRepeat(t *testing.T) {\n\tif strings.Repeat("a", 2) != "aa" || filepath.Base("/x/y") != "y" || os.Getpid() == 0 {\n\t\tt.Fatal("repeat")\n\t}\n}\n';

const SPOILERS: Array<[string, string]> = [
  // Node reads the nearest package.json above a script for its module type: "module" would make
  // every later require() a ReferenceError.
  ['js:plants-package-type', plantAbove('package.json', '{"type": "module"}')],
  ['js:innocent-after-package-type', "const assert = require('node:assert');\nassert.strictEqual([1, 2].length, 2);\n"],
  // require() looks in node_modules of every folder above the script.
  ['js:plants-a-module', plantAbove('node_modules/leftpad/index.js', 'module.exports = () => "planted";')],
  ['js:innocent-after-module', "let seen = true;\ntry { require.resolve('leftpad'); } catch { seen = false; }\nif (seen) throw new Error('a module an earlier sample planted');\n"],
  // tsc includes every node_modules/@types package above the file: a global that clashes with
  // MultiPL-E's own `const assert` fails every later compile (in main.ts, which --skipLibCheck checks).
  ['js:plants-types', plantAbove('node_modules/@types/spoil/index.d.ts', 'declare const assert: number;\n')],
  ['ts:innocent-after-types', "declare var require: any;\nconst assert = require('node:assert');\nassert.deepEqual(Math.max(1, 2), 2);\n"],
  // The Go build cache: zeroed outputs (its package index among them) fail later builds.
  ['go:poisons-the-build-cache', GO_POISON],
  ['go:innocent-after-poisoning', GO_INNOCENT],
  ['go:innocent-again', GO_INNOCENT.replace('TestRepeat', 'TestAgain')],
  // go looks for go.work in the folders above the module: one that leaves it out fails the build.
  ['js:plants-go-work', plantAbove('go.work', 'go 1.19\n\nuse ./elsewhere\n')],
  ['go:innocent-after-go-work', GO_INNOCENT],
];

function recordOf(name: string): unknown {
  const lang = name.split(':')[0] as string;
  return { name, language: lang === 'go' ? 'go_test.go' : lang, prompt: lang === 'go' ? GO_HEADER : '', tests: '\n', stop_tokens: [] };
}

it('a sample cannot plant files for later samples above their folders, nor poison the Go build cache', async () => {
  const config = loadHarnessConfig(undefined, {
    run: { root: mkdtempSync(path.join(os.tmpdir(), 'fl-spoilers-')) },
    function_level: { timeout: 20, slots: 1, batch_size: 50 },
  });
  const set = validateProblemRecords(SPOILERS.map(([name], i) => ({ file: 'spoilers', location: String(i), value: recordOf(name) })));
  expect(set.rejected).toEqual([]);
  const samples: Sample[] = SPOILERS.map(([name, code]) => ({ task_id: name, sample_index: 0, completion: code }));
  const run = await runFunctionLevelEvaluation({ config, runId: 'spoilers', problems: set.problems, samples });
  const got = Object.fromEntries(run.results.map((r) => [r.task_id, r.outcome === 'passed' ? r.outcome : `${r.outcome}: ${r.detail ?? ''}`]));
  expect(got).toEqual(Object.fromEntries(SPOILERS.map(([name]) => [name, 'passed'])));
}, 600_000);
