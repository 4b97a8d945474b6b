import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { isRetryablePullError } from '../../src/docker/pull-image.js';
import { prebuiltImagePattern, prebuiltImageRef } from '../../src/images/prebuilt.js';

describe('prebuiltImageRef', () => {
  it('names SWE-bench images as SWE-bench does: lower case, "__" written "_1776_"', () => {
    const config = loadHarnessConfig(undefined, { images: { prebuilt: { namespace: 'swebench' } } });
    expect(prebuiltImageRef('django__django-11099', config)).toBe('swebench/sweb.eval.x86_64.django_1776_django-11099:latest');
    expect(prebuiltImageRef('Project__X-1', config)).toBe('swebench/sweb.eval.x86_64.project_1776_x-1:latest');
  });

  it('puts a registry in front, and takes arm64 and another tag', () => {
    const config = loadHarnessConfig(undefined, { images: { prebuilt: { namespace: 'swebench', registry: '127.0.0.1:5000/', arch: 'arm64', tag: 'v2' } } });
    expect(prebuiltImageRef('psf__requests-2317', config)).toBe('127.0.0.1:5000/swebench/sweb.eval.arm64.psf_1776_requests-2317:v2');
    expect(prebuiltImagePattern(config)).toBe('127.0.0.1:5000/swebench/sweb.eval.arm64.*');
  });

  it('builds images here when no namespace is set', () => {
    expect(prebuiltImageRef('psf__requests-2317', loadHarnessConfig())).toBeUndefined();
  });
});

describe('isRetryablePullError', () => {
  it('retries what a busy or restarting registry answers', () => {
    expect(isRetryablePullError('toomanyrequests: You have reached your pull rate limit')).toBe(true);
    expect(isRetryablePullError('received unexpected HTTP status: 503 Service Unavailable')).toBe(true);
    expect(isRetryablePullError('timed out after 5 s')).toBe(true);
  });

  it('does not retry a missing image or a refusal', () => {
    expect(isRetryablePullError('manifest for swebench/x:latest not found: manifest unknown')).toBe(false);
    expect(isRetryablePullError('pull access denied for x, repository does not exist')).toBe(false);
  });
});
