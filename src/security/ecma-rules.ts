import type { CapturedNode } from '../code-nav/query.js';
import { ECMA, looksLikeSecret, mentionsUntrusted, type SecurityRule, type SourceFacts } from './rule.js';

function isLiteral(node: CapturedNode): boolean {
  return node.type === 'string' || (node.type === 'template_string' && !node.text.includes('${'));
}

/** A string put together at run time: `+` or a template with a substitution. */
function isBuiltString(node: CapturedNode): boolean {
  return node.type === 'binary_expression' || (node.type === 'template_string' && node.text.includes('${'));
}

/** Request input read directly (Express, Koa), not passed through a call first. */
function isRequestInput(node: CapturedNode): boolean {
  return /^(req|request|ctx\.request|ctx)\.(params|query|body|path|url|headers)\b/.test(node.text);
}

/** Built directly, or in a name the text assigns a built string to before the call. */
function isBuiltValue(node: CapturedNode, facts: SourceFacts): boolean {
  if (node.type === 'identifier') return facts.assigned(node.text).some(isBuiltString);
  return isBuiltString(node);
}

/** A containment check: the path resolved and compared with the base, or cut to its last part. */
const PATH_GUARD = /path\.(resolve|normalize|join)\b[\s\S]*\.startsWith\(|path\.relative\(|path\.basename\(/;

const callee = '[(identifier) @fn (member_expression property: (property_identifier) @fn)]';

export const ECMA_RULES: SecurityRule[] = [
  {
    id: 'js-exec-built',
    cwe: 'CWE-78',
    title: 'child_process.exec of a command built from strings',
    languages: ECMA,
    queries: [`(call_expression function: ${callee} @callee arguments: (arguments . (_) @cmd) (#any-of? @fn "exec" "execSync")) @finding`],
    // Bare exec() from child_process, or through a name that says so; never RegExp#exec.
    accept: (m, facts) => /^((child_?process|childProcess|cp)\.)?exec(Sync)?$/i.test(m.callee!.text) && isBuiltValue(m.cmd!, facts),
  },
  {
    id: 'js-sql-string',
    cwe: 'CWE-89',
    title: 'SQL built from strings',
    languages: ECMA,
    queries: ['(call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . (_) @sql) (#any-of? @fn "query" "execute" "raw" "run" "all" "get" "exec" "prepare")) @finding'],
    accept: (m, facts) => {
      const sql = m.sql!.type === 'identifier' ? facts.assigned(m.sql!.text).find(isBuiltString) : m.sql!;
      return sql !== undefined && isBuiltString(sql) && /\b(select|insert|update|delete|create|drop|where)\b/i.test(sql.text);
    },
  },
  {
    id: 'js-path-input',
    cwe: 'CWE-22',
    title: 'path or file access from untrusted input without a containment check',
    languages: ECMA,
    queries: [
      '(call_expression function: (member_expression object: (identifier) @mod property: (property_identifier) @fn) arguments: (arguments [(member_expression) (subscript_expression) (identifier)] @arg) (#eq? @mod "path") (#any-of? @fn "join" "resolve")) @finding',
      // fs, fs.promises, fsp, ...: the method name says it reads or writes a file.
      '(call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . [(member_expression) (subscript_expression) (identifier) (binary_expression) (template_string)] @arg) (#match? @fn "^(readFile|readFileSync|createReadStream|writeFile|writeFileSync|unlink|unlinkSync)$")) @finding',
    ],
    accept: (m, facts) => (isRequestInput(m.arg!) || mentionsUntrusted(m.arg!, facts)) && !PATH_GUARD.test(facts.text),
  },
  {
    id: 'js-unserialize',
    cwe: 'CWE-502',
    title: 'node-serialize unserialize (runs functions in its input)',
    languages: ECMA,
    queries: [`(call_expression function: ${callee} (#eq? @fn "unserialize")) @finding`],
  },
  {
    id: 'js-eval',
    cwe: 'CWE-95',
    title: 'eval / new Function of a non-literal',
    languages: ECMA,
    queries: [
      '(call_expression function: (identifier) @fn arguments: (arguments . (_) @code) (#eq? @fn "eval")) @finding',
      '(new_expression constructor: (identifier) @fn arguments: (arguments (_) @code .) (#eq? @fn "Function")) @finding',
    ],
    accept: (m) => !isLiteral(m.code!),
  },
  {
    id: 'js-hardcoded-secret',
    cwe: 'CWE-798',
    title: 'hard-coded secret',
    languages: ECMA,
    queries: [
      '(variable_declarator name: (identifier) @name value: (string) @value) @finding',
      '(pair key: [(property_identifier) (string)] @name value: (string) @value) @finding',
      '(assignment_expression left: [(identifier) (member_expression)] @name right: (string) @value) @finding',
    ],
    accept: (m) => looksLikeSecret(m.name!.text, m.value!.text),
  },
  {
    id: 'js-weak-hash',
    cwe: 'CWE-327',
    title: 'MD5 / SHA-1 hash',
    languages: ECMA,
    queries: ['(call_expression function: (member_expression property: (property_identifier) @fn) arguments: (arguments . (string) @alg) (#eq? @fn "createHash")) @finding'],
    accept: (m) => /^['"](md5|sha1)['"]$/i.test(m.alg!.text),
  },
  {
    id: 'js-tls-verify-off',
    cwe: 'CWE-295',
    title: 'TLS certificate verification turned off',
    languages: ECMA,
    queries: [
      '(pair key: [(property_identifier) (string)] @k value: (false) (#match? @k "^.?rejectUnauthorized.?$")) @finding',
      '(assignment_expression left: (member_expression property: (property_identifier) @p) right: (string) @v (#eq? @p "NODE_TLS_REJECT_UNAUTHORIZED")) @finding',
    ],
    accept: (m) => m.v === undefined || /^['"`]0['"`]$/.test(m.v.text),
  },
];
