// SPDX-License-Identifier: GPL-2.0-only
/** The KVM probe's verdict, kept for the host boot: reused while the key holds, probed again when it moves. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentProbeKey, probeKey, probeKvmCached, sameKey } from '../../../src/lib/vm/accel-cache.js';
import { FakeRunner, UnexpectedCommandError } from '../../helpers/fake-runner.js';

const qemu = { path: '/usr/bin/qemu-system-x86_64', size: 123, mtimeMs: 1000.4 };
const verdict = { usable: false, reason: 'KVM does not work here (x): using TCG', kvm: null, tcg: null };

describe('probeKey', () => {
  it.each([
    ['boot id, QEMU and /dev/kvm', 'abc\n', qemu, { present: true, accessible: true }, { bootId: 'abc', qemu: '/usr/bin/qemu-system-x86_64:123:1000', kvm: 'accessible' }],
    ['/dev/kvm not accessible', 'abc', qemu, { present: true, accessible: false }, { bootId: 'abc', qemu: '/usr/bin/qemu-system-x86_64:123:1000', kvm: 'present' }],
    ['no /dev/kvm', 'abc', qemu, { present: false, accessible: false }, { bootId: 'abc', qemu: '/usr/bin/qemu-system-x86_64:123:1000', kvm: 'absent' }],
    ['no boot id: nothing to key on', null, qemu, { present: false, accessible: false }, null],
    ['no QEMU: nothing to key on', 'abc', null, { present: false, accessible: false }, null],
  ])('%s', (_w, boot, q, dev, want) => {
    expect(probeKey(boot, q, dev)).toEqual(want);
  });

  it('another boot, a QEMU upgrade or a kvm module loaded is another key', () => {
    const k = probeKey('abc', qemu, { present: false, accessible: false })!;
    expect(sameKey(k, { ...k })).toBe(true);
    expect(sameKey(k, probeKey('abd', qemu, { present: false, accessible: false })!)).toBe(false);
    expect(sameKey(k, probeKey('abc', { ...qemu, size: 124 }, { present: false, accessible: false })!)).toBe(false);
    expect(sameKey(k, probeKey('abc', qemu, { present: true, accessible: true })!)).toBe(false);
  });
});

describe('probeKvmCached', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-accel-'));
    // a QEMU binary of our own in PATH: the key does not depend on what the host has installed
    writeFileSync(join(dir, 'qemu-system-x86_64'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    env = { PATH: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses the verdict of this host boot without running QEMU, and says so', async () => {
    const key = currentProbeKey(env);
    expect(key).not.toBeNull();
    writeFileSync(join(dir, 'accel-probe.json'), JSON.stringify({ key, verdict, at: '2026-12-04T01:00:00.000Z' }));
    const v = await probeKvmCached(new FakeRunner(), dir, env);
    expect(v.usable).toBe(false);
    expect(v.reason).toBe('KVM does not work here (x): using TCG; probed at 2026-12-04T01:00:00.000Z, this host boot');
  });

  it('probes again when the key moved (another boot), and when the file is unreadable', async () => {
    const key = currentProbeKey(env)!;
    writeFileSync(join(dir, 'accel-probe.json'), JSON.stringify({ key: { ...key, bootId: 'another boot' }, verdict, at: 'x' }));
    await expect(probeKvmCached(new FakeRunner(), dir, env)).rejects.toThrow(UnexpectedCommandError);
    writeFileSync(join(dir, 'accel-probe.json'), '{ not json');
    await expect(probeKvmCached(new FakeRunner(), dir, env)).rejects.toThrow(UnexpectedCommandError);
    expect(readFileSync(join(dir, 'accel-probe.json'), 'utf8')).toBe('{ not json');
  });
});
