import { strict as assert } from 'assert';
import { parseRequirements } from '../../rules/documents/requirements';

/** pip requirements: names with their exact ranges, specifiers, pins, includes and direct references. */
const TEXT = [
  '# training dependencies',
  'pandas==2.2.2',
  'numpy>=1.26,<2',
  'scikit-learn[extra] == 1.4.0 ; python_version > "3.8"  # pinned',
  'torch==2.*',
  '-r base.txt',
  '--constraint=constraints.txt',
  '-e git+https://github.com/acme/lib.git@0123456789abcdef0123456789abcdef01234567#egg=acmelib',
  'mypkg @ git+https://github.com/acme/mypkg@0123456789abcdef0123456789abcdef01234567',
  'other @ https://files.example.com/other-1.0.tar.gz',
  'requests==2.32.3 \\',
  '    --hash=sha256:abc \\',
  '    --hash=sha256:def',
  './local/pkg',
  'https://files.example.com/p-1.0-py3-none-any.whl#sha256=aa01',
  'black===24.4.2',
  '   # indented comment',
  'flask (==3.0.3)',
  'UPPER_Case.pkg~=1.0',
  'mlflow',
  '',
].join('\r\n');

describe('requirements files', () => {
  const model = parseRequirements(TEXT);
  const byName = new Map(model.requirements.map((r) => [r.name, r]));

  it('reads every requirement line and every include', () => {
    assert.deepEqual(
      model.requirements.map((r) => r.name),
      ['pandas', 'numpy', 'scikit-learn', 'torch', 'acmelib', 'mypkg', 'other', 'requests', './local/pkg', 'https://files.example.com/p-1.0-py3-none-any.whl#sha256=aa01', 'black', 'flask', 'UPPER_Case.pkg', 'mlflow'],
    );
    assert.deepEqual(model.includes, ['base.txt', 'constraints.txt']);
  });

  it('knows what is pinned', () => {
    const pinned = model.requirements.filter((r) => r.pinned).map((r) => r.name);
    assert.deepEqual(pinned, ['pandas', 'scikit-learn', 'acmelib', 'mypkg', 'requests', 'https://files.example.com/p-1.0-py3-none-any.whl#sha256=aa01', 'black', 'flask']);
    assert.equal(byName.get('torch')?.pinned, false, 'a wildcard is not a pin');
    assert.equal(byName.get('mlflow')?.specifier, '');
  });

  it('gives exact ranges for names and requirement strings, also with CRLF and continuations', () => {
    for (const r of model.requirements) {
      if (!r.direct) assert.equal(TEXT.slice(r.nameStart, r.nameEnd), r.name, r.name);
      assert.ok(!/[\r\n]/.test(TEXT.slice(r.start, r.end)) || r.name === 'requests', r.name);
    }
    assert.equal(TEXT.slice(byName.get('scikit-learn')!.start, byName.get('scikit-learn')!.end), 'scikit-learn[extra] == 1.4.0 ; python_version > "3.8"');
    assert.equal(TEXT.slice(byName.get('acmelib')!.start, byName.get('acmelib')!.end), 'git+https://github.com/acme/lib.git@0123456789abcdef0123456789abcdef01234567#egg=acmelib');
    assert.equal(byName.get('requests')?.hashes, true);
    assert.equal(byName.get('scikit-learn')?.specifier, '==1.4.0');
    assert.equal(byName.get('flask')?.specifier, '==3.0.3');
  });

  it('marks direct references', () => {
    assert.deepEqual(
      model.requirements.filter((r) => r.direct).map((r) => r.name),
      ['acmelib', 'mypkg', 'other', './local/pkg', 'https://files.example.com/p-1.0-py3-none-any.whl#sha256=aa01'],
    );
  });

  it('never throws on odd input', () => {
    for (const t of ['', '\\', '-', '==1.0', '[extra]', 'a\\\n\\\n\\', '-e', '#', 'x' + '\\\n'.repeat(1000)]) assert.doesNotThrow(() => parseRequirements(t), JSON.stringify(t));
  });
});
