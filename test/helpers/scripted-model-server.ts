import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that plays a script of model turns in both wire formats:
 * OpenAI's Chat Completions (`.../chat/completions`) and Anthropic's Messages (`.../messages`),
 * chosen by the request's path. It records every request so tests can assert what the
 * client sent. Start it in beforeAll, `script()` it per test, close it in afterAll.
 */

/** Token counts as the API would report them (OpenAI: input includes cacheRead; Anthropic: it does not). */
export interface TurnUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** An object; for OpenAI a string is sent as the raw `arguments` text, valid JSON or not. */
  arguments: unknown;
}

export type ServerTurn =
  | { kind: 'answer'; text?: string; toolCalls?: ScriptedToolCall[]; usage?: TurnUsage; stopReason?: string; delayMs?: number }
  | { kind: 'rate-limit'; retryAfter?: string; retryAfterMs?: string }
  | { kind: 'server-error'; status?: number; retryAfter?: string }
  /** A 200 whose body is not what the API sends; by default not JSON at all. */
  | { kind: 'malformed'; body?: string }
  /** An API error; `code` is OpenAI's error code (`context_length_exceeded`, ...). */
  | { kind: 'error'; status: number; message: string; code?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export interface ScriptedModelServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the turns still to play and forgets the recorded requests. */
  script(turns: ServerTurn[]): void;
  /** Turns not yet played. */
  remaining(): number;
  close(): Promise<void>;
}

type Format = 'openai' | 'anthropic';

export async function startScriptedModelServer(): Promise<ScriptedModelServer> {
  let turns: ServerTurn[] = [];
  const requests: RecordedRequest[] = [];
  // Delayed answers still pending, cleared on close so none outlives the server.
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body: parseJson(rawBody) });
      const format = formatOf(req.url ?? '');
      if (!format) return send(res, 404, { error: { message: `no such endpoint: ${req.url}` } });
      play(turns.shift(), format, requests.at(-1)?.body, res, timers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      turns = [...next];
      requests.length = 0;
    },
    remaining: () => turns.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function formatOf(path: string): Format | undefined {
  if (path.endsWith('/chat/completions')) return 'openai';
  if (path.endsWith('/messages')) return 'anthropic';
  return undefined;
}

function play(turn: ServerTurn | undefined, format: Format, request: unknown, res: http.ServerResponse, timers: Set<NodeJS.Timeout>): void {
  if (!turn) return send(res, 418, errorBody(format, 'scripted model server: script exhausted'));
  switch (turn.kind) {
    case 'answer': {
      const model = isObject(request) && typeof request.model === 'string' ? request.model : 'unknown';
      const body = format === 'openai' ? openAIAnswer(turn, model) : anthropicAnswer(turn, model);
      if (!turn.delayMs) return send(res, 200, body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, 200, body);
      }, turn.delayMs);
      timers.add(timer);
      return;
    }
    case 'rate-limit':
      return send(res, 429, errorBody(format, 'Rate limit reached for requests', 'rate_limit_error'), {
        ...(turn.retryAfter !== undefined ? { 'retry-after': turn.retryAfter } : {}),
        ...(turn.retryAfterMs !== undefined ? { 'retry-after-ms': turn.retryAfterMs } : {}),
      });
    case 'server-error':
      return send(res, turn.status ?? 500, errorBody(format, 'The server had an error', 'api_error'), {
        ...(turn.retryAfter !== undefined ? { 'retry-after': turn.retryAfter } : {}),
      });
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(turn.body ?? '<html>502 Bad Gateway</html>');
      return;
    case 'error':
      return send(res, turn.status, errorBody(format, turn.message, 'invalid_request_error', turn.code));
  }
}

/** OpenAI: `{error: {message, type}}`; Anthropic: `{type: "error", error: {type, message}}`. */
function errorBody(format: Format, message: string, type = 'invalid_request_error', code?: string): unknown {
  return format === 'openai' ? { error: { message, type, code: code ?? null } } : { type: 'error', error: { type, message } };
}

function openAIAnswer(turn: Extract<ServerTurn, { kind: 'answer' }>, model: string): unknown {
  const usage = turn.usage ?? { input: 0, output: 0 };
  const toolCalls = (turn.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${i}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: turn.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: turn.stopReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    },
  };
}

function anthropicAnswer(turn: Extract<ServerTurn, { kind: 'answer' }>, model: string): unknown {
  const usage = turn.usage ?? { input: 0, output: 0 };
  const content = [
    ...(turn.text ? [{ type: 'text', text: turn.text }] : []),
    ...(turn.toolCalls ?? []).map((call, i) => ({ type: 'tool_use', id: call.id ?? `toolu_${i}`, name: call.name, input: call.arguments })),
  ];
  return {
    id: 'msg_scripted',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: turn.stopReason ?? (turn.toolCalls?.length ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_read_input_tokens: usage.cacheRead ?? 0,
      cache_creation_input_tokens: usage.cacheWrite ?? 0,
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return; // the client gave up (timeout or abort)
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
