import { describe, expect, it } from 'vitest';
import { parseQueueUrl } from '../../src/queue/connection.js';
import { evaluationJobId } from '../../src/run/queue-jobs.js';

describe('--queue URLs', () => {
  it('reads host, port, database, user and password, and hides the password in messages', () => {
    const a = parseQueueUrl('redis://worker:s3cret@10.0.0.5:6380/2');
    expect(a.connection).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, username: 'worker', password: 's3cret' });
    expect(a.shown).toBe('redis://worker:***@10.0.0.5:6380/2');
    expect(parseQueueUrl('redis://localhost').connection).toMatchObject({ host: 'localhost', port: 6379, db: 0 });
    expect(parseQueueUrl('rediss://cache.example').connection).toMatchObject({ tls: {} });
  });

  it('refuses what is not a redis URL, saying what is expected', () => {
    expect(() => parseQueueUrl('localhost:6379')).toThrow(/redis:\/\//);
    expect(() => parseQueueUrl('http://localhost:6379')).toThrow(/scheme must be redis/);
    expect(() => parseQueueUrl('not a url')).toThrow(/not a URL/);
    expect(() => parseQueueUrl('redis://localhost/abc')).toThrow(/database/);
  });
});

describe('evaluation job ids', () => {
  const prediction = { instance_id: 'org__repo-1', model_name_or_path: 'org/model:v1', model_patch: 'diff' };

  it('are the same for the same run, model, instance and patch (a restarted coordinator attaches), and hold no colon', () => {
    const id = evaluationJobId('run-1', prediction);
    expect(id).toBe(evaluationJobId('run-1', { ...prediction }));
    expect(id).not.toContain(':');
  });

  it('differ when the patch differs, so a changed prediction is never served an old job', () => {
    expect(evaluationJobId('run-1', prediction)).not.toBe(evaluationJobId('run-1', { ...prediction, model_patch: 'other' }));
  });
});
