import { readFileSync } from 'node:fs';
import { loadAgent } from '../../agent/agent-config.js';
import { shippedAgentConfigs } from '../../config/agent-config.js';
import { HarnessError } from '../../errors.js';
import { renderTable } from '../table.js';

/** `agents list`: the shipped configs with their hashes; `agents show NAME`: one, as written. */
export async function agentsCommand(positionals: string[]): Promise<number> {
  const [action, name] = positionals;
  if (action === 'list') {
    const rows = shippedAgentConfigs().map((ref) => {
      const agent = loadAgent(ref);
      return [agent.name, agent.hash, Object.keys(agent.config.tools).join(' '), agent.config.description ?? ''];
    });
    process.stdout.write(`${renderTable(['name', 'hash', 'tools', 'description'], rows)}\n`);
    return 0;
  }
  if (action === 'show' && name) {
    const agent = loadAgent(name); // validated first: show nothing that would not run
    process.stdout.write(`# ${agent.file} (hash ${agent.hash})\n${readFileSync(agent.file, 'utf8')}`);
    return 0;
  }
  throw new HarnessError('USAGE', 'usage: swe-harness agents list | agents show NAME|FILE');
}
