import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { createMcpServer } from '../../src/mcp/mcp-server.js';
import { startMcpHttpServer, type McpHttpServer } from '../../src/mcp/serve-http.js';
import type { ContainerSandbox } from '../../src/sandbox/container-sandbox.js';
import { startSession } from '../../src/sandbox/sessions.js';
import { makeToolset } from '../../src/tools/toolset.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'mcp-test-'));
const overrides = { state_dir: path.join(work, 'state'), repo_cache: path.join(work, 'repos') };
const config = loadHarnessConfig(undefined, overrides);
const datasetDir = path.join(PROJECT_ROOT, 'instances/demo');
const instance = loadDataset(datasetDir).instances.find((i) => i.instance_id === 'demo__textkit-1')!;
const TOOL_NAMES = ['run_tests', 'read_file', 'list_dir', 'search', 'outline', 'find_symbol', 'apply_diff', 'edit', 'write_file', 'bash', 'submit', 'get_patch'];

type CallResult = Awaited<ReturnType<Client['callTool']>>;

function text(result: CallResult): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('');
}

/** read_file numbers lines as `cat -n` does; the diff needs the lines as they are. */
function fileLines(numbered: string): string[] {
  return numbered
    .split('\n')
    .map((line) => /^\s*\d+\t(.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined);
}

describe('the MCP server on a real session (real Docker, real SDK client)', () => {
  let box: ContainerSandbox;
  let http: McpHttpServer;
  let client: Client;

  beforeAll(async () => {
    box = await startSession({ config, instance, runId: 'test-mcp' });
    const tools = makeToolset({ bash: true });
    http = await startMcpHttpServer({
      createServer: () => createMcpServer(box, box.task, tools, { outputCapBytes: config.agent.output_cap_bytes, problemStatement: instance.problem_statement }),
      port: 0,
      host: '127.0.0.1',
    });
    client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  });
  afterAll(async () => {
    await client?.close();
    await http?.close();
    await box?.destroy();
  });

  it('lists every tool with its input schema, and get_patch', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) expect(tool.inputSchema.type).toBe('object');
    const readFile = tools.find((t) => t.name === 'read_file')!;
    expect(Object.keys(readFile.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['path', 'start_line', 'end_line']));
    expect(readFile.inputSchema.required).toEqual(['path']);
  });

  it('reads a file found with list_dir, edits it with apply_diff, and get_patch has the change', async () => {
    const listing = await client.callTool({ name: 'list_dir', arguments: { path: 'textkit' } });
    expect(listing.isError).toBeFalsy();
    expect(text(listing).split('\n')).toContain('textkit/__init__.py');

    const read = await client.callTool({ name: 'read_file', arguments: { path: 'textkit/__init__.py' } });
    expect(read.isError).toBeFalsy();
    const [first, second, third] = fileLines(text(read));
    expect(first).toMatch(/^"""/);
    const changed = first!.replace('"""', '"""MCP: ');
    const diff = ['--- a/textkit/__init__.py', '+++ b/textkit/__init__.py', '@@ -1,3 +1,3 @@', `-${first}`, `+${changed}`, ` ${second}`, ` ${third}`, ''].join('\n');
    const applied = await client.callTool({ name: 'apply_diff', arguments: { diff } });
    expect(text(applied)).toContain('modified textkit/__init__.py');
    expect(applied.isError).toBeFalsy();

    const patch = text(await client.callTool({ name: 'get_patch', arguments: {} }));
    expect(patch).toContain('diff --git a/textkit/__init__.py b/textkit/__init__.py');
    expect(patch).toContain(`-${first}\n+${changed}\n`);
  });

  it('answers invalid arguments with a tool error the model can read, as the agent loop does', async () => {
    const result = await client.callTool({ name: 'read_file', arguments: { path: 42 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^invalid arguments for read_file:\n- path: /);
    const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('unknown tool "no_such_tool"');
  });

  it('stops a running command when the client cancels the call, and the session goes on', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    const started = Date.now();
    await expect(client.callTool({ name: 'bash', arguments: { command: 'sleep 60' } }, undefined, { signal: abort.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
    // The exec was aborted in the container too: the shell is free for the next command at once.
    const next = await client.callTool({ name: 'bash', arguments: { command: 'echo still here' } });
    expect(text(next)).toContain('still here');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('serves the problem statement as a resource', async () => {
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(1);
    const read = await client.readResource({ uri: resources[0]!.uri });
    expect(read.contents[0]).toMatchObject({ text: instance.problem_statement });
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(http.url);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves the same tools over an in-process transport pair', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer(box, box.task, makeToolset({ bash: false }), { outputCapBytes: config.agent.output_cap_bytes });
    await server.connect(serverSide);
    const local = new Client({ name: 'mcp-test-local', version: '1.0.0' });
    await local.connect(clientSide);
    const { tools } = await local.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES.filter((n) => n !== 'bash').sort());
    expect(text(await local.callTool({ name: 'get_patch' }))).toContain('+"""MCP: ');
    await local.close();
  });

  it('serves over stdio from the CLI, attached to the session, and leaves it running', async () => {
    const configFile = path.join(work, 'config.yaml');
    writeFileSync(configFile, `state_dir: ${JSON.stringify(overrides.state_dir)}\nrepo_cache: ${JSON.stringify(overrides.repo_cache)}\n`);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(PROJECT_ROOT, 'dist/src/cli/main.js'), 'mcp', '--dataset', datasetDir, '--instance', instance.instance_id, '--session', box.sessionId, '--config', configFile],
      stderr: 'pipe',
    });
    const stdio = new Client({ name: 'mcp-test-stdio', version: '1.0.0' });
    await stdio.connect(transport);
    expect((await stdio.listTools()).tools.map((t) => t.name)).toContain('get_patch');
    expect(text(await stdio.callTool({ name: 'get_patch' }))).toContain('+"""MCP: ');
    await stdio.close();
    expect(await box.status()).toBe('running');
  });
});
