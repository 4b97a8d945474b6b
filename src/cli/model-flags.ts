import type { ModelConfigInput } from '../model/registry.js';
import { numberFlag } from './number-flags.js';

/** The model flags `run` and `generate` share. */
export interface ModelFlags {
  model?: string;
  provider?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  temperature?: string;
  topP?: string;
  seed?: string;
  maxTokens?: string;
}

/** A numeric model flag (temperature, top-p, seed, ...): any finite number. */
export function num(raw: string | undefined, name: string): number | undefined {
  return numberFlag(raw, name);
}

/** The model config: the config file's `model:` section, with flags over it. */
export function modelConfig(values: ModelFlags, fromConfig: Record<string, unknown> | undefined): ModelConfigInput | undefined {
  const model = values.model ?? (fromConfig?.model as string | undefined);
  if (!model) return undefined;
  const provider = values.provider ?? (fromConfig?.provider as string | undefined) ?? (/claude/i.test(model) ? 'anthropic' : 'openai');
  const flags: Record<string, unknown> = {
    model,
    provider,
    base_url: values.baseUrl,
    temperature: num(values.temperature, 'temperature'),
    top_p: num(values.topP, 'top-p'),
    seed: num(values.seed, 'seed'),
    max_tokens: num(values.maxTokens, 'max-tokens'),
  };
  if (values.apiKeyEnv !== undefined) flags.api_key_env = values.apiKeyEnv === 'none' ? null : values.apiKeyEnv;
  const merged = { ...(fromConfig ?? {}), ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  return merged as ModelConfigInput;
}
