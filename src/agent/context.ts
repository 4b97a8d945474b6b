import type { ChatMessage, Usage } from '../model/types.js';

/**
 * The context policy: the history's size is tracked every step, and once it reaches
 * `elideAtTokens` the older tool observations are replaced by a one-line stub, the last
 * `keepLast` kept in full (as SWE-agent's history processors do). The assistant's own
 * messages are never elided: they hold the reasoning and the calls the stubs refer to.
 */
export interface ContextPolicy {
  /** Tokens at which to elide; undefined: never. */
  elideAtTokens?: number;
  keepLast: number;
}

/** About four characters a token for English and code: good enough to act before the first answer. */
export function estimateTokens(messages: ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += m.content.length;
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) chars += c.name.length + c.arguments.length;
  }
  return Math.ceil(chars / 4);
}

export function elisionStub(name: string, chars: number): string {
  return `[output of ${name} elided to save context (${chars} chars); run the call again if you need it]`;
}

/**
 * The history's size: the provider's count for the last query (its prompt and its answer)
 * plus an estimate of what was added since; the estimate alone before the first answer, after
 * an elision, or when the provider reports no usage.
 */
export class ContextTracker {
  #base?: { tokens: number; messages: number };

  /** Called after an answer was added to the history. */
  observe(usage: Usage, messageCount: number): void {
    this.#base = usage.inputTokens > 0 ? { tokens: usage.inputTokens + usage.outputTokens, messages: messageCount } : undefined;
  }

  forget(): void {
    this.#base = undefined;
  }

  tokens(messages: ChatMessage[]): number {
    if (!this.#base || this.#base.messages > messages.length) return estimateTokens(messages);
    return this.#base.tokens + estimateTokens(messages.slice(this.#base.messages));
  }
}

/**
 * Replaces every tool observation but the last `keepLast` with its stub, in place. Observations
 * are named by their ordinal in the history (0 for the first tool result), not by call id:
 * some servers reuse ids (`call_0`) from step to step. Returns the ordinals newly elided.
 */
export function elideObservations(messages: ChatMessage[], keepLast: number, alreadyElided: Set<number>): number[] {
  const observations = messages.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  const elided: number[] = [];
  observations.slice(0, Math.max(0, observations.length - keepLast)).forEach((index, ordinal) => {
    if (alreadyElided.has(ordinal)) return;
    stubAt(messages, index);
    alreadyElided.add(ordinal);
    elided.push(ordinal);
  });
  return elided;
}

/** Re-applies recorded elisions to a rebuilt history, for a resumed episode. */
export function applyElisions(messages: ChatMessage[], ordinals: Iterable<number>): void {
  const observations = messages.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  for (const ordinal of ordinals) {
    const index = observations[ordinal];
    if (index !== undefined) stubAt(messages, index);
  }
}

function stubAt(messages: ChatMessage[], index: number): void {
  const m = messages[index];
  if (m?.role === 'tool') messages[index] = { ...m, content: elisionStub(m.name, m.content.length) };
}
