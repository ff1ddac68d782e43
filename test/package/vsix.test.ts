import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { defaultRegistry } from '../../rules/all';
import { docPath } from '../../rules/core/registry';
import { readZip, ROOT, stage, type Staged, type ZipEntry } from './stage';

/**
 * The .vsix that `npm run package` writes (vsce 3, .vscodeignore whitelist): exactly the bundles
 * the extension runs (minified, no source maps), the wasm grammars, the rule docs, the config
 * schema, the media and the metadata; nothing from test/, examples/ or the CLI; every file the
 * manifest or a bundle points to is inside; and it stays small.
 */
const MAX_VSIX_BYTES = 1.5 * 1024 * 1024;

describe('the .vsix (npm run package)', function () {
  this.timeout(240_000);
  let staged: Staged;
  let entries: ZipEntry[];
  let names: Set<string>;
  const entry = (name: string) => entries.find((e) => e.name === name);

  before(async () => {
    staged = await stage();
    entries = readZip(staged.vsix);
    names = new Set(entries.map((e) => e.name));
  });

  it('holds exactly the bundles, wasm grammars, rule docs, schema, media and metadata', () => {
    const walkthrough = fs.readdirSync(path.join(ROOT, 'media', 'walkthrough')).filter((n) => n.endsWith('.md'));
    const bundles = staged.built.filter((n) => n.endsWith('.js') && n !== 'cli.js' && n !== 'cli-bundle.js');
    const expected = [
      'extension.vsixmanifest',
      '[Content_Types].xml',
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      ...bundles.map((n) => `extension/dist/${n}`),
      'extension/dist/tree-sitter.wasm',
      'extension/dist/tree-sitter-python.wasm',
      'extension/schemas/mlready.schema.json',
      'extension/media/icon.png',
      'extension/media/readiness.svg',
      ...walkthrough.map((n) => `extension/media/walkthrough/${n}`),
      'extension/docs/rules/README.md',
      ...defaultRegistry().rules.map((r) => `extension/${docPath(r)}`),
    ].sort();
    assert.ok(['client.js', 'server.js', 'server-bundle.js', 'worker.js', 'worker-bundle.js'].every((b) => bundles.includes(b)), `the build made ${staged.built.join(', ')}`);
    assert.deepEqual([...names].sort(), expected);
  });

  it('leaves out sources, source maps, tests, examples, node_modules and the CLI bundle', () => {
    for (const name of names) {
      assert.ok(!/\.(ts|map|mjs|tgz|vsix)$/.test(name), `${name} should not be packaged`);
      assert.ok(!/^extension\/(test|examples|node_modules|client|server|cli|rules|common|scripts|bench|\.ci)\//.test(name), `${name} should not be packaged`);
    }
    assert.ok(!names.has('extension/dist/cli.js') && !names.has('extension/dist/cli-bundle.js'), 'the CLI is the npm package\'s, not the extension\'s');
    // the stage had them: the whitelist kept them out
    assert.ok(fs.existsSync(path.join(staged.dir, 'examples', 'mlready.yaml')) && fs.existsSync(path.join(staged.dir, 'test', 'decoy.test.ts')));
    assert.ok(staged.built.some((n) => n.endsWith('.map')), 'the production build writes external source maps, which must stay out');
  });

  it('ships bundles that are minified and carry no source map link', () => {
    for (const e of entries.filter((x) => /^extension\/dist\/.*\.js$/.test(x.name))) {
      const text = e.read().toString('utf8');
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${e.name}: ${lines} lines for ${text.length} bytes, not minified`);
      assert.ok(!/\n\/\/ (rules|server|client|node_modules)\//.test(text), `${e.name} has esbuild's per-module comments (a development build)`);
      assert.ok(!/sourceMappingURL/.test(text.slice(-300)), `${e.name} links a source map`);
    }
  });

  it('has every file a bundle loads next to itself (worker, wasm)', () => {
    const packaged = entries.filter((e) => /^extension\/dist\/.*\.js$/.test(e.name));
    for (const e of packaged) {
      const text = e.read().toString('utf8');
      for (const other of staged.built.filter((n) => !n.endsWith('.map') && `extension/dist/${n}` !== e.name)) {
        if (text.includes(`"${other}"`) || text.includes(`'${other}'`)) assert.ok(names.has(`extension/dist/${other}`), `${e.name} loads ${other}, which is not packaged`);
      }
    }
    assert.ok(entry('extension/dist/tree-sitter.wasm')!.size > 100_000 && entry('extension/dist/tree-sitter-python.wasm')!.size > 100_000);
  });

  it('has every file the packaged manifest points to', () => {
    const manifest = JSON.parse(entry('extension/package.json')!.read().toString('utf8'));
    const c = manifest.contributes;
    const referenced = [
      manifest.main,
      manifest.icon,
      ...c.viewsContainers.activitybar.map((v: { icon: string }) => v.icon),
      ...c.yamlValidation.map((v: { url: string }) => v.url),
      ...c.walkthroughs.flatMap((w: { steps: { media: Record<string, string> }[] }) => w.steps.flatMap((s) => Object.values(s.media).filter((m) => typeof m === 'string'))),
    ];
    assert.ok(referenced.length >= 8);
    for (const ref of referenced) assert.ok(names.has(`extension/${path.posix.normalize(ref)}`), `package.json points to ${ref}, which is not in the .vsix`);
  });

  it('has a readme whose links work on the Marketplace (no relative links left)', () => {
    const readme = entry('extension/readme.md')!.read().toString('utf8');
    const relative = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((u) => !/^(https?:|mailto:|#)/.test(u));
    assert.deepEqual(relative, [], 'vsce rewrites relative links against the repository; these were left relative');
    for (const image of ['diagnostics.png', 'quick-fix.png', 'readiness-panel.png']) assert.match(readme, new RegExp(`https://github\\.com/mlready/mlready/raw/HEAD/docs/images/${image.replace('.', '\\.')}`));
  });

  it(`stays under ${MAX_VSIX_BYTES / 1024 / 1024} MB`, function () {
    const size = fs.statSync(staged.vsix).size;
    assert.ok(size < MAX_VSIX_BYTES, `${staged.vsix} is ${size} bytes`);
    // eslint-disable-next-line no-console
    console.log(`      .vsix: ${(size / 1024).toFixed(0)} KB, ${entries.length} files (npm run package: ${staged.seconds.package.toFixed(1)} s)`);
  });
});
