import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCompletion, truncateAtStop } from '../../src/function-level/extract-completion.js';
import { DEFAULT_PROMPT_TEMPLATE, generateSamples } from '../../src/function-level/generate.js';
import type { Problem } from '../../src/function-level/problem.js';
import { readSamples } from '../../src/function-level/samples-file.js';
import { noisyProtocolWarnings, protocolFileOf, type SamplingProtocol } from '../../src/function-level/sampling-protocol.js';
import { createModelProvider } from '../../src/model/registry.js';
import { ScriptedModel } from '../../src/model/scripted.js';
import { startScriptedModelServer } from '../helpers/scripted-model-server.js';

const PY: Problem = {
  task_id: 'T/0',
  language: 'python',
  prompt: 'def add(a, b):\n    """Return a + b."""\n',
  entry_point: 'add',
  format: 'humaneval',
  check: { kind: 'test-program', program: 'prompt+completion', test: '' },
  stop_tokens: ['\ndef', '\nclass', '\nif', '\nprint', '\n#'],
};

const JS: Problem = { task_id: 'J/0', language: 'javascript', prompt: '/** Sum. */\nfunction add(a, b) {\n', entry_point: 'add', format: 'multipl-e', check: { kind: 'test-program', program: 'prompt+completion', test: '' } };

describe('completion extraction', () => {
  it('keeps a base model continuation as it is, cut at the first stop token', () => {
    expect(extractCompletion('    return a + b\n\n\ndef other():\n    pass\n', PY, PY.stop_tokens)).toBe('    return a + b\n\n');
  });

  it('opens the fence of a chat answer and takes off the signature and docstring the prompt holds', () => {
    const answer = 'Here it is:\n```python\ndef add(a, b):\n    """Return a + b."""\n    return a + b\n```\nThis adds.';
    expect(extractCompletion(answer, PY, PY.stop_tokens)).toBe('    return a + b\n');
  });

  it('moves imports and helpers written before the function after its body, where they still run', () => {
    const answer = '```py\nimport math\n\ndef add(a, b):\n    return math.fsum([a, b])\n```';
    const completion = extractCompletion(answer, PY);
    expect(completion).toBe('    return math.fsum([a, b])\n\n\nimport math\n');
  });

  it('takes the fence of the problem language when the answer has several', () => {
    const answer = '```bash\npip install nothing\n```\n```python\ndef add(a, b):\n    return a + b\n```';
    expect(extractCompletion(answer, PY)).toBe('    return a + b\n');
  });

  it('indents a body-only answer written flush left', () => {
    expect(extractCompletion('```python\nreturn a + b\n```', PY)).toBe('    return a + b\n');
  });

  it('strips the whole prompt when the answer repeats it exactly', () => {
    expect(extractCompletion(`\`\`\`python\n${PY.prompt}    return b + a\n\`\`\``, PY)).toBe('    return b + a\n');
  });

  it('takes a JavaScript body after the opening brace, closing brace included', () => {
    const answer = '```javascript\nconst util = require("util");\nfunction add(a, b) {\n  return a + b;\n}\n```';
    expect(extractCompletion(answer, JS)).toBe('  return a + b;\n}\n\n\nconst util = require("util");\n');
  });

  it('takes a Go body after the signature, return types in parentheses included, and drops the repeated package and imports', () => {
    const GO: Problem = { task_id: 'G/0', language: 'go', prompt: 'package add\n\nimport "fmt"\n\nfunc add(a int, b int) (int, error) {\n', entry_point: 'add', format: 'multipl-e', check: JS.check };
    const answer = '```go\npackage add\n\nimport "fmt"\n\nfunc add(a int, b int) (int, error) {\n\treturn a + b, nil\n}\n```';
    expect(extractCompletion(answer, GO)).toBe('\treturn a + b, nil\n}\n');
  });

  it('cuts at the earliest of several stop tokens and ignores empty ones', () => {
    expect(truncateAtStop('abc\nif x\n#c', ['\n#', '', '\nif'])).toBe('abc');
    expect(truncateAtStop('abc', [])).toBe('abc');
  });
});

describe('noisy protocol warning', () => {
  it('warns on pass@1 from one sample at a high temperature', () => {
    expect(noisyProtocolWarnings({ n: 1, temperature: 0.8 }, [1])).toHaveLength(1);
    expect(noisyProtocolWarnings({ n: 1, temperature: 0.7 }, [1])).toEqual([]);
    expect(noisyProtocolWarnings({ n: 20, temperature: 0.8 }, [1, 10])).toEqual([]);
  });

  it('warns on pass@k > 1 at a low temperature, only for k that n allows', () => {
    expect(noisyProtocolWarnings({ n: 10, temperature: 0.2 }, [1, 10, 100])[0]).toMatch(/pass@10 at temperature 0.2/);
    expect(noisyProtocolWarnings({ n: 1, temperature: 0 }, [1, 10])).toEqual([]);
    expect(noisyProtocolWarnings({ n: 10, temperature: null }, [1, 10])).toEqual([]);
  });
});

function protocol(over: Partial<SamplingProtocol> = {}): SamplingProtocol {
  return { dataset: 'd', model: 'scripted', provider: 'scripted', temperature: 0.8, top_p: null, max_tokens: null, stop: [], n: 2, prompt_template: DEFAULT_PROMPT_TEMPLATE, created_at: '2026-01-01T00:00:00Z', ...over };
}

const fence = (body: string) => ({ content: `\`\`\`python\ndef add(a, b):\n${body}\n\`\`\``, usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.001 });

describe('generate', () => {
  it('writes n samples per task with tokens and cost, and the protocol beside them', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    const model = new ScriptedModel([fence('    return a + b'), fence('    return a - b')]);
    const outcome = await generateSamples({ problems: [PY], provider: model, protocol: protocol(), samplesFile: file, concurrency: 1 });
    expect(outcome).toMatchObject({ written: 2, skipped: 0, failures: [] });
    const samples = readSamples(file, new Set(['T/0']));
    expect(samples.map((s) => [s.task_id, s.sample_index, s.completion])).toEqual([['T/0', 0, '    return a + b\n'], ['T/0', 1, '    return a - b\n']]);
    expect(samples[0]).toMatchObject({ model: 'scripted', prompt_tokens: 10, completion_tokens: 5, cost_usd: 0.001 });
    expect(model.calls[0]!.messages[0]!.content).toContain('```python\ndef add(a, b):');
    expect(JSON.parse(readFileSync(protocolFileOf(file), 'utf8'))).toMatchObject({ n: 2, temperature: 0.8, model: 'scripted' });
  });

  it('resumes: pairs already written are skipped, a cut-off last line is drawn again', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    await generateSamples({ problems: [PY], provider: new ScriptedModel([fence('    return 1')]), protocol: protocol({ n: 1 }), samplesFile: file, concurrency: 1 });
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"task_id": "T/0", "sample_ind`);
    const model = new ScriptedModel([fence('    return 2'), fence('    return 3')]);
    const outcome = await generateSamples({ problems: [PY], provider: model, protocol: protocol({ n: 3 }), samplesFile: file, concurrency: 2 });
    expect(outcome).toMatchObject({ written: 2, skipped: 1 });
    expect(model.calls).toHaveLength(2);
    expect(readSamples(file, new Set(['T/0'])).map((s) => s.sample_index).sort()).toEqual([0, 1, 2]);
  });

  it('keeps samples of tasks outside the selection, and a smaller n keeps the larger in the protocol', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    await generateSamples({ problems: [{ ...PY, task_id: 'OTHER' }, PY], provider: new ScriptedModel([fence('    return 1'), fence('    return 1'), fence('    return 2'), fence('    return 2')]), protocol: protocol(), samplesFile: file, concurrency: 1 });
    const outcome = await generateSamples({ problems: [PY], provider: new ScriptedModel([]), protocol: protocol({ n: 1 }), samplesFile: file, concurrency: 1 });
    expect(outcome).toMatchObject({ written: 0, skipped: 1 });
    expect(readSamples(file, new Set(['OTHER', 'T/0']))).toHaveLength(4);
    expect(JSON.parse(readFileSync(protocolFileOf(file), 'utf8')).n).toBe(2);
  });

  it('refuses to append after a bad line that is not the last', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    writeFileSync(file, '{"task_id": "T/0", "completion": 3}\n{"task_id": "T/0", "completion": "x"}\n');
    await expect(generateSamples({ problems: [PY], provider: new ScriptedModel([]), protocol: protocol({ n: 2 }), samplesFile: file, concurrency: 1 })).rejects.toThrow(/samples.jsonl:1.*completion/);
  });

  it('refuses to resume under a changed protocol unless forced', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    await generateSamples({ problems: [PY], provider: new ScriptedModel([fence('    return 1')]), protocol: protocol({ n: 1 }), samplesFile: file, concurrency: 1 });
    const again = (force: boolean) => generateSamples({ problems: [PY], provider: new ScriptedModel([fence('    return 2')]), protocol: protocol({ n: 2, temperature: 0.2 }), samplesFile: file, concurrency: 1, force });
    await expect(again(false)).rejects.toThrow(/temperature: 0.8 -> 0.2/);
    await expect(again(true)).resolves.toMatchObject({ written: 1, skipped: 1 });
  });

  it('records a failed query and goes on with the other samples', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
    // The script runs out after one answer: the second query fails as a real provider would.
    const outcome = await generateSamples({ problems: [PY, { ...PY, task_id: 'T/1' }], provider: new ScriptedModel([fence('    return 1')]), protocol: protocol({ n: 1 }), samplesFile: file, concurrency: 1 });
    expect(outcome.written).toBe(1);
    expect(outcome.failures).toEqual([expect.objectContaining({ task_id: 'T/1', sample_index: 0, code: 'MODEL_ERROR' })]);
  });
});

describe('generate through the HTTP providers', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: sends the prompt without tools and records tokens and price`, async () => {
      const server = await startScriptedModelServer();
      try {
        server.script([{ kind: 'answer', text: '```python\ndef add(a, b):\n    return a + b\n```', usage: { input: 1000, output: 100 } }]);
        const model = createModelProvider({ provider, model: 'm', base_url: provider === 'openai' ? `${server.url}/v1` : server.url, api_key_env: null, temperature: 0.2, max_attempts: 1, prices: { input: 1, output: 10 } });
        const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gen-')), 'samples.jsonl');
        await generateSamples({ problems: [PY], provider: model, protocol: protocol({ n: 1, provider, temperature: 0.2 }), samplesFile: file, concurrency: 1 });
        const [sample] = readSamples(file, new Set(['T/0']));
        expect(sample).toMatchObject({ completion: '    return a + b\n', prompt_tokens: 1000, completion_tokens: 100 });
        // 1000 tokens at $1 and 100 at $10 per million.
        expect(sample!.cost_usd).toBeCloseTo(0.002, 10);
        const body = server.requests[0]!.body as Record<string, unknown>;
        expect(body.temperature).toBe(0.2);
        expect(body.tools).toBeUndefined();
        expect(JSON.stringify(body.messages)).toContain('def add(a, b):');
      } finally {
        await server.close();
      }
    });
  }
});

describe('--k', () => {
  it('reads a comma list, defaults to 1, 10, 100, and names a bad value', async () => {
    const { parseKs } = await import('../../src/cli/commands/generate.js');
    expect(parseKs(undefined)).toEqual([1, 10, 100]);
    expect(parseKs('1, 5,10')).toEqual([1, 5, 10]);
    expect(() => parseKs('1,0')).toThrow(/--k takes whole numbers/);
    expect(() => parseKs('x')).toThrow(/"x"/);
  });
});
