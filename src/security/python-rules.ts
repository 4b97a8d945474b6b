import type { CapturedNode } from '../code-nav/query.js';
import { mentionsUntrusted, PYTHON, looksLikeSecret, type SecurityRule, type SourceFacts } from './rule.js';

/** A plain string literal: no f-string, no concatenation, no call. */
function isLiteral(node: CapturedNode): boolean {
  return node.type === 'string' && !/^[rRbBuU]*[fF]/.test(node.text);
}

/** A string put together at run time: `+`, `%`, an f-string with a field, `.format(...)`. */
function isBuiltString(node: CapturedNode): boolean {
  if (node.type === 'binary_operator') return true;
  if (node.type === 'string') return /^[rRbBuU]*[fF]/.test(node.text) && node.text.includes('{');
  return node.type === 'call' && /\.format\s*\(/.test(node.text);
}

/** Request input read directly, not passed through a sanitising call first. */
function isRequestInput(node: CapturedNode): boolean {
  if (node.type === 'call') return /^(input|(self\.)?(request|req)\.[\w.]*\.get)\s*\(/.test(node.text);
  return /^(self\.)?(request|req|params|args|form|query)\b/.test(node.text);
}

/**
 * A command string with something run-time in it. Parts passed through shlex.quote (or the
 * whole through shlex.join) are safe;
 * a name is judged by what the text assigns to it (unknown: flagged, as before names were followed).
 */
function isBuiltCommand(node: CapturedNode, facts: SourceFacts): boolean {
  if (isLiteral(node) || node.type === 'list') return false;
  if (node.type === 'identifier') {
    const values = facts.assigned(node.text);
    // Another name is not followed further (no loops to guard): unknown, so flagged.
    return values.length === 0 || values.some((v) => v.type === 'identifier' || isBuiltCommand(v, facts));
  }
  return !/^shlex\.join\(/.test(node.text) && !onlyQuotedParts(node.text);
}

/** True when every run-time part of a command's text is a shlex.quote(...) call. */
function onlyQuotedParts(text: string): boolean {
  if (!/\bquote\(/.test(text)) return false;
  const quoted = text.replace(/\b(shlex\.)?quote\([^()]*\)/g, 'Q');
  if (/^[rRbBuU]*[fF]/.test(quoted)) return [...quoted.matchAll(/\{([^{}]*)\}/g)].every((m) => m[1]!.trim() === 'Q');
  const code = quoted.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '');
  return (code.match(/[A-Za-z_]\w*/g) ?? []).every((name) => name === 'Q' || name === 'format' || name === 'join');
}

/** SQL put together at run time, directly or in a name assigned before the call. */
function isBuiltSql(node: CapturedNode, facts: SourceFacts): boolean {
  if (node.type === 'identifier') return facts.assigned(node.text).some((v) => isBuiltString(v));
  return isBuiltString(node);
}

/**
 * A containment check somewhere in the text: the path made absolute and compared with the
 * base, or reduced to its last part. A check for ".." alone is not one (absolute paths pass it).
 */
const PATH_GUARD = /\b(realpath|abspath|resolve)\b[\s\S]*\b(startswith|commonpath|is_relative_to|relative_to)\b|\b(commonpath|is_relative_to|secure_filename|basename)\b/;

const call = (mod: string, fns: string[], args = '(argument_list) @args') =>
  `(call function: (attribute object: (identifier) @mod attribute: (identifier) @fn) arguments: ${args} (#eq? @mod "${mod}") (#any-of? @fn ${fns.map((f) => `"${f}"`).join(' ')})) @finding`;

export const PYTHON_RULES: SecurityRule[] = [
  {
    id: 'py-shell-true',
    cwe: 'CWE-78',
    title: 'shell=True with a command built from strings',
    languages: PYTHON,
    queries: ['(call arguments: (argument_list . (_) @cmd (keyword_argument name: (identifier) @kw value: (true))) (#eq? @kw "shell")) @finding'],
    accept: (m, facts) => isBuiltCommand(m.cmd!, facts),
  },
  {
    id: 'py-os-system',
    cwe: 'CWE-78',
    title: 'os.system / os.popen of a non-literal command',
    languages: PYTHON,
    queries: [call('os', ['system', 'popen'], '(argument_list . (_) @cmd)')],
    accept: (m, facts) => isBuiltCommand(m.cmd!, facts),
  },
  {
    id: 'py-sql-string',
    cwe: 'CWE-89',
    title: 'SQL built from strings',
    languages: PYTHON,
    queries: ['(call function: (attribute attribute: (identifier) @fn) arguments: (argument_list . (_) @sql) (#any-of? @fn "execute" "executemany" "executescript" "raw" "mogrify")) @finding'],
    accept: (m, facts) => isBuiltSql(m.sql!, facts),
  },
  {
    id: 'py-path-join-input',
    cwe: 'CWE-22',
    title: 'path built from untrusted input without a containment check',
    languages: PYTHON,
    queries: [
      '(call function: (attribute object: (attribute object: (identifier) @os attribute: (identifier) @p) attribute: (identifier) @fn) arguments: (argument_list [(attribute) (subscript) (call) (identifier)] @arg) (#eq? @os "os") (#eq? @p "path") (#eq? @fn "join")) @finding',
      '(binary_operator operator: "/" right: [(attribute) (subscript) (call) (identifier) (string)] @arg) @finding',
      '(call function: (identifier) @fn arguments: (argument_list . [(binary_operator) (string)] @arg) (#eq? @fn "open")) @finding',
    ],
    accept: (m, facts) => (isRequestInput(m.arg!) || mentionsUntrusted(m.arg!, facts)) && !PATH_GUARD.test(facts.text),
  },
  {
    id: 'py-pickle',
    cwe: 'CWE-502',
    title: 'unpickling (pickle, dill, marshal, shelve) of data that may come from outside',
    languages: PYTHON,
    queries: ['pickle', 'cPickle', 'dill', 'marshal'].map((mod) => call(mod, ['load', 'loads', 'Unpickler'])),
  },
  {
    id: 'py-yaml-load',
    cwe: 'CWE-502',
    title: 'yaml.load without SafeLoader',
    languages: PYTHON,
    queries: [call('yaml', ['load', 'load_all', 'unsafe_load', 'unsafe_load_all'])],
    accept: (m) => m.fn!.text.startsWith('unsafe') || !/\bC?SafeLoader\b/.test(m.args!.text),
  },
  {
    id: 'py-eval',
    cwe: 'CWE-95',
    title: 'eval / exec of a non-literal',
    languages: PYTHON,
    queries: ['(call function: (identifier) @fn arguments: (argument_list . (_) @code) (#any-of? @fn "eval" "exec")) @finding'],
    accept: (m) => !isLiteral(m.code!),
  },
  {
    id: 'py-hardcoded-secret',
    cwe: 'CWE-798',
    title: 'hard-coded secret',
    languages: PYTHON,
    queries: [
      '(assignment left: [(identifier) (attribute)] @name right: (string) @value) @finding',
      '(keyword_argument name: (identifier) @name value: (string) @value) @finding',
      '(pair key: (string) @name value: (string) @value) @finding',
    ],
    accept: (m) => looksLikeSecret(m.name!.text, m.value!.text),
  },
  {
    id: 'py-weak-hash',
    cwe: 'CWE-327',
    title: 'MD5 / SHA-1 (pass usedforsecurity=False when not for security)',
    languages: PYTHON,
    queries: [call('hashlib', ['md5', 'sha1', 'new'])],
    accept: (m) => (m.fn!.text !== 'new' || /^\(\s*['"](md5|sha1)['"]/i.test(m.args!.text)) && !/usedforsecurity\s*=\s*False/.test(m.args!.text),
  },
  {
    id: 'py-tls-verify-off',
    cwe: 'CWE-295',
    title: 'TLS certificate verification turned off',
    languages: PYTHON,
    queries: [
      '(keyword_argument name: (identifier) @kw value: (false) (#eq? @kw "verify")) @finding',
      '(call function: (attribute attribute: (identifier) @fn) (#eq? @fn "_create_unverified_context")) @finding',
    ],
  },
];
