import { BUILTIN_PROBES_FILE, loadSecurityProbes, type SecurityProbe } from '../config/security-probes.js';
import { loadProblems, type ProblemLoadOptions, type ProblemSet } from './load-problems.js';
import { probeProblems } from './security-probes.js';

/** The dataset name of the security probes: the shipped set plus the user's files. */
export const PROBES_DATASET = 'probes';

export interface ProblemSetWithProbes extends ProblemSet {
  /** The probes behind the problems, when the dataset is the probe set. */
  probes: SecurityProbe[];
}

/**
 * What `generate`, `evaluate` and scoring load for `--dataset`: the security probes for
 * `probes` (extended by `probeFiles`), else the function-level loader's problems.
 */
export async function loadProblemSet(target: string, opts: ProblemLoadOptions & { probeFiles?: readonly string[] }): Promise<ProblemSetWithProbes> {
  if (target.toLowerCase() === PROBES_DATASET) {
    const probes = loadSecurityProbes(opts.probeFiles);
    return { problems: probeProblems(probes), rejected: [], source: [BUILTIN_PROBES_FILE, ...(opts.probeFiles ?? [])].join(' + '), probes };
  }
  return { ...(await loadProblems(target, opts)), probes: [] };
}
