import { beginShutdown, shutdownSignal } from '../util/shutdown.js';

/** The exit code of a command stopped by SIGINT: 128 + 2, as shells report it. */
export const INTERRUPTED_EXIT = 130;

/** How long a command that stops gracefully on Ctrl-C (run, mcp) gets before it is cut short. */
const GRACE_MS = 30_000;

/**
 * Ctrl-C stops the command cleanly: nothing new starts, the containers this process made
 * (grading containers, sessions it started) are removed, and it exits with 130. What finished
 * is already on disk (each instance's report is written when it ends). A command with its own
 * graceful stop (`run` finishes its bookkeeping, `mcp` stops its session) gets GRACE_MS to end
 * on its own first. A second Ctrl-C exits at once, leaving the rest to `swe-harness cleanup`.
 */
export function stopOnInterrupt(): void {
  let stopping = false;
  const onInterrupt = (): void => {
    if (stopping) {
      process.stderr.write('interrupted again: exiting now (`swe-harness cleanup --run-id R` removes what is left)\n');
      process.exit(INTERRUPTED_EXIT);
    }
    stopping = true;
    beginShutdown();
    if (process.listenerCount('SIGINT') > 1) {
      process.stderr.write('\ninterrupted: stopping (Ctrl-C again to quit at once)\n');
      setTimeout(() => void exitInterrupted(), GRACE_MS).unref();
      return;
    }
    process.stderr.write('\ninterrupted: removing the containers this command started (Ctrl-C again to quit at once)\n');
    void exitInterrupted();
  };
  process.on('SIGINT', onInterrupt);
}

/**
 * The work in flight is abandoned on purpose: its containers are gone and its results would
 * be wrong. Exiting here is the point of the signal, not a cover for a leak.
 */
async function exitInterrupted(): Promise<never> {
  await removeOwnedContainers();
  process.exit(INTERRUPTED_EXIT);
}

/** After a command returned: containers it still owns are removed if it was interrupted. */
export async function settleInterrupt(code: number): Promise<number> {
  if (!shutdownSignal.aborted) return code;
  await removeOwnedContainers();
  return INTERRUPTED_EXIT;
}

async function removeOwnedContainers(): Promise<number> {
  return (await import('../runtime/registry.js')).containerRuntime().removeOwnedContainers();
}

/**
 * With SWE_HARNESS_DEBUG_HANDLES=1, names what still keeps the process alive a moment after
 * the command returned (the timer is unref'd: it fires only when something else holds the
 * event loop). A diagnosis aid for issue 18's class of bug; silent otherwise.
 */
export function reportLeaksAfter(ms = 2000): void {
  if (process.env.SWE_HARNESS_DEBUG_HANDLES !== '1') return;
  setTimeout(() => {
    process.stderr.write(`swe-harness: still running ${ms} ms after the command returned; active: ${process.getActiveResourcesInfo().join(', ')}\n`);
  }, ms).unref();
}
