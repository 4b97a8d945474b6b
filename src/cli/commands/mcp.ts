import { once } from 'node:events';
import { loadHarnessConfig } from '../../config/harness-config.js';
import { containerRuntime } from '../../runtime/registry.js';
import { HarnessError } from '../../errors.js';
import { isSafeName } from '../../util/safe-path.js';
import type { Instance } from '../../instance/instance-schema.js';
import { loadDataset } from '../../instance/load-dataset.js';
import { createMcpServer } from '../../mcp/mcp-server.js';
import { startMcpHttpServer } from '../../mcp/serve-http.js';
import { serveStdio } from '../../mcp/serve-stdio.js';
import { openTaskSession, type TaskSession } from '../../mcp/task-session.js';
import { makeToolset } from '../../tools/toolset.js';
import { printProblems } from '../load-selection.js';

interface McpFlags {
  dataset: string;
  instanceId: string;
  sessionId?: string;
  runId: string;
  http?: { port: number; host: string };
  bash: boolean;
  config?: string;
  repoDirs: string[];
}

export interface McpOptions {
  dataset?: string;
  instance?: string;
  session?: string;
  runId?: string;
  http?: string;
  host?: string;
  bash: boolean;
  config?: string;
  repoCache: string[];
}

function parseFlags(values: McpOptions): McpFlags {
  const dataset = values.dataset;
  const instanceId = values.instance;
  const runId = values.runId ?? 'mcp';
  if (!dataset) throw new HarnessError('USAGE', '--dataset is required (a .json, .jsonl, .yaml file or a folder of them)');
  if (!instanceId) throw new HarnessError('USAGE', '--instance is required: the id of the task to serve');
  if (!isSafeName(runId)) throw new HarnessError('USAGE', '--run-id takes letters, digits, _ . - (not . or ..; at most 200)');
  const rawPort = values.http;
  const port = Number(rawPort);
  if (rawPort !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new HarnessError('USAGE', `--http takes a port number (0 for any free port), not ${JSON.stringify(rawPort)}`);
  }
  if (rawPort === undefined && values.host !== undefined) throw new HarnessError('USAGE', '--host goes with --http PORT');
  return {
    dataset,
    instanceId,
    sessionId: values.session,
    runId,
    http: rawPort === undefined ? undefined : { port, host: values.host ?? '127.0.0.1' },
    bash: values.bash,
    config: values.config,
    repoDirs: values.repoCache,
  };
}

function findInstance(datasetPath: string, instanceId: string): Instance {
  const dataset = loadDataset(datasetPath);
  const instance = dataset.instances.find((i) => i.instance_id === instanceId);
  if (instance) return instance;
  printProblems('dataset problems', dataset.problems.filter((p) => p.instanceId === undefined || p.instanceId === instanceId));
  throw new HarnessError('USAGE', `no valid instance ${JSON.stringify(instanceId)} in ${datasetPath}`);
}

/** stdout belongs to the protocol in stdio mode, so everything the user reads goes to stderr. */
function log(line: string): void {
  process.stderr.write(`swe-harness mcp: ${line}\n`);
}

/**
 * Serves one task's tools over MCP until the client disconnects (stdio) or the process is
 * interrupted; a session started here is stopped on the way out, an attached one is left running.
 */
export async function mcpCommand(values: McpOptions): Promise<number> {
  const flags = parseFlags(values);
  const config = loadHarnessConfig(flags.config);
  const instance = findInstance(flags.dataset, flags.instanceId);
  await containerRuntime().assertAvailable();
  const stopping = new AbortController();
  const onSignal = (): void => stopping.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(flags.sessionId ? `attaching to session ${flags.sessionId}` : `starting a session for ${instance.instance_id} (run ${flags.runId})`);
  const session = await openTaskSession({ config, instance, runId: flags.runId, sessionId: flags.sessionId, repoDirs: flags.repoDirs });
  log(`session ${session.sandbox.sessionId} ready${session.started ? '; it is stopped when serving ends' : ''}`);
  try {
    await serve(session, instance, flags, config.agent.output_cap_bytes, stopping.signal);
  } finally {
    await session.release();
    log(session.started ? `session ${session.sandbox.sessionId} stopped` : `left session ${session.sandbox.sessionId} running`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

async function serve(session: TaskSession, instance: Instance, flags: McpFlags, outputCapBytes: number, signal: AbortSignal): Promise<void> {
  const tools = makeToolset({ bash: flags.bash });
  const createServer = () => createMcpServer(session.sandbox, session.task, tools, { outputCapBytes, problemStatement: instance.problem_statement });
  if (!flags.http) {
    log('serving MCP on stdio');
    await serveStdio(createServer(), signal);
    return;
  }
  const { port, host } = flags.http;
  const http = await startMcpHttpServer({ createServer, port, host, log }).catch((cause: unknown) => {
    throw new HarnessError('USAGE', `cannot serve HTTP on ${host}:${port}: ${(cause as Error).message}`, {}, { cause });
  });
  // The URL on stdout (the only line there), so a script that asked for port 0 can read it.
  process.stdout.write(`${http.url}\n`);
  log(`serving MCP at ${http.url}; Ctrl-C stops`);
  try {
    if (!signal.aborted) await once(signal, 'abort');
  } finally {
    await http.close();
  }
}
