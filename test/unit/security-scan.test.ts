import { describe, expect, it } from 'vitest';
import { scanPatch } from '../../src/security/scan-patch.js';

/** A patch that creates `file` with `code` as its content: every line is added. */
function newFilePatch(file: string, code: string): string {
  const lines = code.split('\n');
  return `diff --git a/${file} b/${file}\nnew file mode 100644\n--- /dev/null\n+++ b/${file}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
}

async function rulesFound(file: string, code: string): Promise<string[]> {
  const scan = await scanPatch(newFilePatch(file, code));
  expect(scan.error).toBeUndefined();
  return scan.findings.map((f) => f.rule);
}

type Case = [rule: string, vulnerable: string, safe: string];

const PYTHON: Case[] = [
  ['py-shell-true', 'import subprocess\nsubprocess.run("ls " + name, shell=True)', 'import subprocess\nsubprocess.run(["ls", name])'],
  ['py-os-system', 'import os\nos.system(f"rm -rf {path}")', 'import os\nos.system("make clean")'],
  ['py-sql-string', 'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)', 'cur.execute("SELECT * FROM users WHERE name = %s", (name,))'],
  ['py-path-join-input', 'import os\np = os.path.join(ROOT, request.args["file"])', 'import os\np = os.path.join(ROOT, secure_filename(request.args["file"]))'],
  ['py-pickle', 'import pickle\nobj = pickle.loads(data)', 'import json\nobj = json.loads(data)'],
  ['py-yaml-load', 'import yaml\ncfg = yaml.load(text)', 'import yaml\ncfg = yaml.load(text, Loader=yaml.SafeLoader)'],
  ['py-eval', 'result = eval(user_expr)', 'result = eval("1 + 2")'],
  ['py-hardcoded-secret', 'API_KEY = "sk-live-4f9a8b7c6d5e"', 'API_KEY = os.environ["API_KEY"]'],
  ['py-weak-hash', 'import hashlib\nh = hashlib.md5(password.encode())', 'import hashlib\nh = hashlib.md5(data, usedforsecurity=False)'],
  ['py-tls-verify-off', 'requests.get(url, verify=False)', 'requests.get(url, verify=True)'],
];

const ECMA: Case[] = [
  ['js-exec-built', "const { exec } = require('child_process');\nexec('ls ' + dir);", "const { execFile } = require('child_process');\nexecFile('ls', [dir]);\nconst m = /a(b)/.exec('x' + s);"],
  ['js-exec-built', 'child_process.execSync(`git log ${branch}`);', "child_process.execSync('git log');"],
  ['js-sql-string', 'db.query("SELECT * FROM users WHERE id = " + id);', 'db.query("SELECT * FROM users WHERE id = ?", [id]);'],
  ['js-sql-string', 'db.query(`DELETE FROM t WHERE id = ${id}`);', 'db.query(sql`DELETE FROM t WHERE id = ${id}`);'],
  ['js-path-input', 'const p = path.join(root, req.params.file);', 'const p = path.join(root, path.basename(req.params.file));'],
  ['js-unserialize', "const obj = serialize.unserialize(body);", 'const obj = JSON.parse(body);'],
  ['js-eval', 'const r = eval(expr);', 'const r = eval("2 + 2");'],
  ['js-eval', 'const f = new Function("a", body);', 'const f = new Function("a", "return a * 2");'],
  ['js-hardcoded-secret', 'const password = "hunter2-but-longer";', 'const password = process.env.PASSWORD;'],
  ['js-hardcoded-secret', 'const cfg = { apiKey: "AKIA1234567890ABCD" };', 'const cfg = { apiKey: "" };'],
  ['js-weak-hash', "const h = crypto.createHash('md5').update(pw).digest('hex');", "const h = crypto.createHash('sha256').update(pw).digest('hex');"],
  ['js-tls-verify-off', 'https.request({ host, rejectUnauthorized: false });', 'https.request({ host, rejectUnauthorized: true });'],
  ['js-tls-verify-off', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';"],
];

describe('security scan: one vulnerable and one safe example per rule and language', () => {
  for (const [rule, vulnerable, safe] of PYTHON) {
    it(`${rule} (python)`, async () => {
      expect(await rulesFound('app/mod.py', vulnerable)).toContain(rule);
      expect(await rulesFound('app/mod.py', safe)).not.toContain(rule);
    });
  }
  for (const [file, lang] of [['src/app.js', 'javascript'], ['src/app.ts', 'typescript']] as const) {
    for (const [rule, vulnerable, safe] of ECMA) {
      it(`${rule} (${lang}): ${vulnerable.slice(0, 40)}`, async () => {
        expect(await rulesFound(file, vulnerable)).toContain(rule);
        expect(await rulesFound(file, safe)).not.toContain(rule);
      });
    }
  }
});

describe('security scan of a patch', () => {
  const patch = [
    'diff --git a/app/views.py b/app/views.py',
    '--- a/app/views.py',
    '+++ b/app/views.py',
    '@@ -10,4 +10,5 @@ def handler(request):',
    '     data = pickle.loads(request.body)',
    '-    return data',
    '+    cmd = "echo " + data["name"]',
    '+    subprocess.call(cmd, shell=True)',
    '+    return eval(data["expr"])',
    '     # end',
    '',
  ].join('\n');

  it('reports only lines the patch adds, at their line in the patched file', async () => {
    const scan = await scanPatch(patch);
    expect(scan.findings.map((f) => [f.rule, f.cwe, f.file, f.line])).toEqual([
      ['py-shell-true', 'CWE-78', 'app/views.py', 12],
      ['py-eval', 'CWE-95', 'app/views.py', 13],
    ]);
    expect(scan.findings[0]!.snippet).toBe('subprocess.call(cmd, shell=True)');
  });

  it('parses the whole patched file when the caller has it', async () => {
    const whole = `import pickle\n${'\n'.repeat(7)}def handler(request):\n    data = pickle.loads(request.body)\n    cmd = "echo " + data["name"]\n    subprocess.call(cmd, shell=True)\n    return eval(data["expr"])\n    # end\n`;
    const scan = await scanPatch(patch, { postPatchFile: (p) => (p === 'app/views.py' ? whole : undefined) });
    expect(scan.findings.map((f) => f.line)).toEqual([12, 13]);
  });

  it('turns rules off by id or by CWE', async () => {
    const scan = await scanPatch(patch, { disabled: ['py-eval', 'CWE-78'] });
    expect(scan.findings).toEqual([]);
    expect(scan.rules_off).toEqual(['CWE-78', 'py-eval']);
  });

  it('ignores files it cannot parse and empty patches', async () => {
    expect((await scanPatch(newFilePatch('README.md', 'password = "hunter2-but-longer"'))).findings).toEqual([]);
    expect(await scanPatch(null)).toEqual({ findings: [], scanned_files: [] });
  });
});
