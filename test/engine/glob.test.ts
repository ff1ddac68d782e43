import { strict as assert } from 'assert';
import { invalidGlob, matchesGlob } from '../../rules/core/glob';

/** Globs of mlready.yaml (`ignore`, `tests`, `stages`), gitignore-like, linear-time. */
describe('glob matching', () => {
  const table: [string, string[], string[]][] = [
    ['*.py', ['a.py', 'src/a.py', 'src/deep/b.py'], ['a.pyc', 'a.py.bak', 'src/py']],
    ['src/*.py', ['src/a.py'], ['src/x/a.py', 'a.py', 'lib/src/a.py']],
    ['**/test_*.py', ['test_a.py', 'x/test_a.py', 'x/y/test_b.py'], ['x/a_test.py', 'x/test_a.pyc']],
    ['build/', ['build/x.py', 'build/a/b.py', 'pkg/build/x.py'], ['builder/x.py', 'build.py']],
    ['/build', ['build', 'build/x.py'], ['pkg/build/x.py']],
    ['notebooks/**', ['notebooks/a.ipynb', 'notebooks/x/y.ipynb'], ['notebooks2/a.ipynb', 'src/notebooks/a.ipynb']],
    ['src/**/serve.py', ['src/serve.py', 'src/a/b/serve.py'], ['serve.py', 'src/a/serve.pyc']],
    ['*.{yml,yaml}', ['a.yml', 'k8s/b.yaml'], ['a.yamll', 'a.json']],
    ['data[0-9].csv', ['data1.csv', 'x/data9.csv'], ['data.csv', 'dataX.csv']],
    ['data[!0-9].csv', ['dataX.csv'], ['data1.csv']],
    ['?.py', ['a.py', 'x/b.py'], ['ab.py', '.py']],
    ['./scripts/*.py', ['scripts/a.py'], ['x/scripts/a.py']],
    ['dir\\sub\\*.py', ['dir/sub/a.py'], ['dir/a.py']],
    ['a+b(c).py', ['a+b(c).py'], ['aab(c).py', 'a+bc.py']],
  ];
  for (const [glob, yes, no] of table) {
    it(`${glob}`, () => {
      for (const p of yes) assert.ok(matchesGlob(p, glob), `${glob} should match ${p}`);
      for (const p of no) assert.ok(!matchesGlob(p, glob), `${glob} should not match ${p}`);
    });
  }

  it('matches in linear time whatever the pattern (no catastrophic backtracking)', () => {
    const path = 'a'.repeat(20_000);
    for (const glob of ['**a**a**a**a**a**a**a**b', '*a*a*a*a*a*a*a*a*b', '{a,a}{a,a}{a,a}{a,a}*b', `${'*'.repeat(200)}b`]) {
      const t = Date.now();
      assert.equal(matchesGlob(path, glob), false);
      assert.ok(Date.now() - t < 1000, `${glob} took ${Date.now() - t} ms`);
    }
  });

  it('refuses patterns that do not compile instead of throwing', () => {
    assert.match(invalidGlob('[z-a]') ?? '', /not a valid pattern/);
    assert.equal(matchesGlob('z', '[z-a]'), false);
    assert.equal(invalidGlob('src/**/*.py'), null);
    assert.doesNotThrow(() => matchesGlob('a', '[unclosed'));
    assert.ok(matchesGlob('[unclosed', '[unclosed'));
  });
});
