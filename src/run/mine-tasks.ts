import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { errorMessage, HarnessError } from '../errors.js';
import { makeImageBuilder } from '../images/instance-images.js';
import type { Instance } from '../instance/instance-schema.js';
import { isRejection, toCandidate, type Candidate, type Rejection, type RejectionReason } from '../mining/candidates.js';
import { decideTests } from '../mining/decide.js';
import { parseDateOption } from '../mining/mine-options.js';
import type { IssueTexts } from '../mining/statement.js';
import { commitDiff, isRemoteSource, listHistory, openHistory, resolveBranch } from '../repo/history.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic-write.js';
import { contentHash } from '../util/hash.js';
import { runPool } from '../util/pool.js';
import { shutdownSignal } from '../util/shutdown.js';
import { MiningState } from './mining-state.js';
import { miningSpec, type MiningSpec } from './mine-spec.js';
import { NotObserved, observeTests, type ObserveContext } from './observe-tests.js';

export interface MineRequest {
  config: HarnessConfig;
  /** A local repository (work tree or bare) or a git URL. */
  source: string;
  repo: string;
  branch?: string;
  since?: string;
  until?: string;
  paths: string[];
  max?: number;
  merges: boolean;
  repeats: number;
  issues: IssueTexts;
  minStatementWords: number;
  /** The dataset to write (JSONL); its folder gets specs/ and the mining state. */
  out: string;
  version?: string;
  concurrency: number;
  reporter?: MiningReporter;
}

/** Progress of a mining run, as lifecycle hooks; the CLI draws them. */
export interface MiningReporter {
  onCandidates?(info: { commits: number; candidates: number; specFile: string; drafted: boolean }): void;
  onCandidateStart?(instanceId: string, phase: 'image' | 'before' | 'after'): void;
  onCandidateDone?(instanceId: string, outcome: { kept: boolean; reason?: RejectionReason; detail?: string }, info: { reused: boolean }): void;
}

export interface MineOutcome {
  commits: number;
  candidates: number;
  kept: Instance[];
  rejected: Rejection[];
  byReason: Partial<Record<RejectionReason, number>>;
  specFile: string;
  drafted: boolean;
  out: string;
  seconds: number;
}

type Decision = { kept: Instance } | { rejected: Rejection };

/** The mined instance as the dataset holds it: SWE-bench's fields, then where it came from. */
function toInstance(c: Candidate, version: string, source: string): Instance {
  return {
    instance_id: c.instance_id,
    repo: c.repo,
    base_commit: c.base_commit,
    patch: c.patch,
    test_patch: c.test_patch,
    problem_statement: c.problem_statement,
    hints_text: '',
    created_at: c.created_at,
    version,
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
    environment_setup_commit: c.base_commit,
    repo_source: source,
    provenance: c.provenance,
  };
}

async function decideCandidate(candidate: Candidate, instance: Instance, ctx: ObserveContext): Promise<Decision> {
  const reject = (reason: RejectionReason, detail: string): Decision => ({ rejected: { commit: candidate.provenance.commit, instance_id: instance.instance_id, reason, detail } });
  try {
    const seen = await observeTests(instance, ctx);
    const decision = decideTests(seen.before, seen.after, seen.logParser, seen.testFiles);
    if (!decision.kept) return reject(decision.reason ?? 'error', decision.detail ?? '');
    const flaky = Object.keys(decision.flaky).length > 0 ? { flaky_tests: decision.flaky } : {};
    return { kept: { ...instance, FAIL_TO_PASS: decision.failToPass, PASS_TO_PASS: decision.passToPass, ...flaky } };
  } catch (err) {
    if (err instanceof NotObserved && err.wholeSpec) throw new HarnessError('IMAGE_BUILD', err.message);
    if (err instanceof NotObserved) return reject(err.reason, err.message);
    return reject('error', errorMessage(err));
  }
}

/**
 * Mines a repository's history into a dataset: candidates from commits that touch code and
 * tests, each kept only when its tests decide it is a task. The dataset and the summary are
 * written whole at the end; decisions are kept as they come, for a rerun to continue.
 */
export async function mineTasks(req: MineRequest): Promise<MineOutcome> {
  const started = Date.now();
  const since = parseDateOption(req.since, '--since');
  const until = parseDateOption(req.until, '--until');
  const out = path.resolve(req.out);
  const gitDir = await openHistory(req.source, req.config.repo_cache, req.repo);
  const tip = await resolveBranch(gitDir, req.branch);
  const spec = await miningSpec({ config: req.config, repo: req.repo, gitDir, tip, specDir: path.join(path.dirname(out), 'specs'), version: req.version });
  const commits = await listHistory(gitDir, tip, { since, until, merges: req.merges, paths: req.paths, max: req.max });
  const rejected: Rejection[] = [];
  const candidates: Candidate[] = [];
  for (const entry of commits) {
    const found = toCandidate(entry, await commitDiff(gitDir, entry.parent, entry.commit), { repo: req.repo, rule: spec.rule, issues: req.issues, minStatementWords: req.minStatementWords });
    if (isRejection(found)) rejected.push(found);
    else candidates.push(found);
  }
  req.reporter?.onCandidates?.({ commits: commits.length, candidates: candidates.length, specFile: spec.resolved.file, drafted: spec.drafted });
  const kept = await decideAll(req, spec, candidates, isRemoteSource(req.source) ? req.source : gitDir, out, rejected);
  kept.sort((a, b) => a.created_at.localeCompare(b.created_at));
  const byReason: MineOutcome['byReason'] = {};
  for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  writeFileAtomic(out, kept.map((i) => JSON.stringify(i)).join('\n') + (kept.length > 0 ? '\n' : ''));
  const outcome: MineOutcome = { commits: commits.length, candidates: candidates.length, kept, rejected, byReason, specFile: spec.resolved.file, drafted: spec.drafted, out, seconds: (Date.now() - started) / 1000 };
  writeJsonAtomic(`${out}.mining.json`, { ...outcome, kept: kept.map((i) => i.instance_id) });
  return outcome;
}

async function decideAll(req: MineRequest, spec: MiningSpec, candidates: Candidate[], source: string, out: string, rejected: Rejection[]): Promise<Instance[]> {
  const instances = candidates.map((c) => toInstance(c, spec.version, source));
  const workDir = `${out}.work`;
  mkdirSync(workDir, { recursive: true });
  const state = new MiningState<Decision>(`${out}.state.jsonl`);
  const ctx: ObserveContext = {
    config: req.config,
    runId: `mine-${contentHash(out).slice(0, 8)}`,
    specs: spec.specs,
    builder: makeImageBuilder(req.config, spec.specs, instances),
    workDir,
    repeats: req.repeats,
    onPhase: (id, phase) => req.reporter?.onCandidateStart?.(id, phase),
  };
  const decisions = await runPool(instances, req.concurrency, async (instance, index) => {
    const candidate = candidates[index] as Candidate;
    const key = contentHash({ commit: candidate.provenance.commit, spec: spec.hash, repeats: req.repeats, patch: instance.patch, tests: instance.test_patch });
    if (shutdownSignal.aborted) throw new HarnessError('INTERRUPTED', `interrupted before ${instance.instance_id}`);
    const earlier = state.get(key);
    const decision = earlier ?? (await decideCandidate(candidate, instance, ctx));
    // An error (the engine went away, Ctrl-C) is no decision: a rerun tries the candidate again.
    // A decision reached while stopping may be the stop's doing (a container removed under it).
    if (shutdownSignal.aborted) throw new HarnessError('INTERRUPTED', `interrupted during ${instance.instance_id}`);
    if (!earlier && !('rejected' in decision && decision.rejected.reason === 'error')) state.record(key, decision);
    const outcome = 'kept' in decision ? { kept: true } : { kept: false, reason: decision.rejected.reason, detail: decision.rejected.detail };
    req.reporter?.onCandidateDone?.(instance.instance_id, outcome, { reused: earlier !== undefined });
    return decision;
  });
  // Cut short by Ctrl-C: the decisions made are in the state file; no dataset from half a run.
  if (shutdownSignal.aborted) throw new HarnessError('INTERRUPTED', 'mining interrupted: rerun the same command to continue');
  const kept: Instance[] = [];
  for (const d of decisions) {
    if ('kept' in d) kept.push(d.kept);
    else rejected.push(d.rejected);
  }
  return kept;
}
