import { strict as assert } from 'assert';
import { isWorkspaceRelativePath, planFileCreation } from '../../rules/core/file-creation';
import type { Fix } from '../../rules/core/types';

const fix = (files: { path: string; content: string }[]): Fix => ({ title: 't', applicability: 'unsafe', edits: [], createFiles: files });

describe('file-creating fixes: planning', () => {
  it('accepts only paths that stay inside the workspace', () => {
    for (const p of ['schemas/a.py', 'a.odcs.yaml', 'pkg/schemas/__init__.py']) assert.ok(isWorkspaceRelativePath(p), p);
    for (const p of ['', '/etc/passwd', '../x.py', 'a/../../x', 'a//b', './a', 'C:/x', 'a\\b', 'a/\0b', 'a/']) assert.ok(!isWorkspaceRelativePath(p), JSON.stringify(p));
  });

  it('creates missing files and leaves out identical ones', () => {
    const plan = planFileCreation(fix([{ path: 's/a.py', content: 'A\n' }, { path: 's/b.yaml', content: 'B\n' }]), (p) => (p === 's/a.py' ? 'A\r\n' : undefined));
    assert.deepEqual(plan, { ok: true, create: [{ path: 's/b.yaml', content: 'B\n' }] });
  });

  it('refuses the whole fix when one file exists with other content, or a path escapes', () => {
    const plan = planFileCreation(fix([{ path: 's/a.py', content: 'A' }, { path: 's/b.yaml', content: 'B' }]), (p) => (p === 's/b.yaml' ? 'mine' : undefined));
    assert.deepEqual(plan, { ok: false, reason: 's/b.yaml already exists' });
    assert.equal(planFileCreation(fix([{ path: '../up.py', content: '' }]), () => undefined).ok, false);
    assert.equal(planFileCreation(fix([{ path: 'a', content: '1' }, { path: 'a', content: '2' }]), () => undefined).ok, false);
  });

  it('is idempotent: once written, planning the same fix creates nothing', () => {
    const files = new Map<string, string>();
    const f = fix([{ path: 's/a.py', content: 'A' }]);
    const first = planFileCreation(f, (p) => files.get(p));
    assert.ok(first.ok);
    for (const c of first.create) files.set(c.path, c.content);
    assert.deepEqual(planFileCreation(f, (p) => files.get(p)), { ok: true, create: [] });
  });
});
