import type { AgentConfig, TemplateField } from '../config/agent-config.js';
import { renderTemplate, templateFields } from '../config/template.js';
import type { Instance } from '../instance/instance-schema.js';
import type { ChatMessage } from '../model/types.js';
import type { Sandbox } from '../sandbox/sandbox.js';

/**
 * The opening messages of an episode: the agent config's system and instance templates with
 * the instance's fields. The repository's layout is listed in the sandbox only when a template
 * asks for it; hints only when the config includes them (they are not part of the issue).
 */
export async function initialMessagesFor(config: AgentConfig, instance: Instance, sandbox: Pick<Sandbox, 'exec' | 'workdir'>): Promise<ChatMessage[]> {
  const used = new Set(templateFields(config.system_template + config.instance_template));
  const values: Record<TemplateField, string> = {
    instance_id: instance.instance_id,
    repo: instance.repo,
    version: instance.version,
    base_commit: instance.base_commit,
    problem_statement: instance.problem_statement.trim(),
    hints_text: config.include_hints ? instance.hints_text.trim() : '',
    workdir: sandbox.workdir,
    repo_tree: used.has('repo_tree') ? await repoTree(sandbox, config.repo_tree) : '',
  };
  const fields: Record<string, string> = { ...values };
  if (!config.include_hints) delete fields.hints_text;
  return [
    { role: 'system', content: renderTemplate(config.system_template, fields) },
    { role: 'user', content: renderTemplate(config.instance_template, fields) },
  ];
}

/** The repository's files and folders (folders end in /), depth-limited, .git left out. */
async function repoTree(sandbox: Pick<Sandbox, 'exec'>, opts: { depth: number; max_entries: number }): Promise<string> {
  const command = `find . -mindepth 1 -maxdepth ${opts.depth} -name .git -prune -o \\( -type d -printf '%P/\\n' \\) -o -printf '%P\\n' | LC_ALL=C sort | head -n ${opts.max_entries + 1}`;
  const result = await sandbox.exec(command, { timeoutSeconds: 60 });
  if (result.exitCode !== 0) return '(the layout could not be listed)';
  const lines = result.output.split('\n').filter((l) => l !== '');
  if (lines.length <= opts.max_entries) return lines.join('\n');
  return `${lines.slice(0, opts.max_entries).join('\n')}\n... (more entries; list folders with the tools)`;
}

export const NO_TOOL_CALL_NOTICE =
  'Your last answer called no tool. Every answer must call at least one tool; call `submit` when the fix is done.';
