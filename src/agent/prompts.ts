import type { ChatMessage } from '../model/types.js';

/** The opening messages of an episode, in the spirit of SWE-agent's and mini-swe-agent's. */
export function initialMessages(problemStatement: string, workdir: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content: [
        'You are a software engineer fixing an issue in a repository checked out at ' + workdir + '.',
        'Work only through the tools. Read the code before changing it; reproduce the problem when you can;',
        'make the smallest change that fixes the issue; run the relevant tests; do not edit the existing tests',
        'to make them pass. When you are done, call `submit`. Every answer must call at least one tool.',
      ].join('\n'),
    },
    { role: 'user', content: `<issue>\n${problemStatement.trim()}\n</issue>\n\nFix this issue in ${workdir}.` },
  ];
}

export const NO_TOOL_CALL_NOTICE =
  'Your last answer called no tool. Every answer must call at least one tool; call `submit` when the fix is done.';
