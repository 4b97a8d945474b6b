/**
 * The process is stopping (SIGINT): one signal for the whole process, so code that would start
 * new work (a container, a result written for an instance cut short) can tell and stand down.
 * Only the CLI begins a shutdown; library code reads the signal.
 */
const controller = new AbortController();

export const shutdownSignal: AbortSignal = controller.signal;

export function beginShutdown(): void {
  controller.abort();
}
