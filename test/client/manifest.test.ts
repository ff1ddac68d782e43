import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLIENT_ID, Commands } from '../../client/command-ids';
import { CONFIG_FILE_GLOB, CONFIG_FILE_NAMES, DOCUMENT_SELECTOR, TEXT_LANGUAGES } from '../../client/document-selector';
import { CONFIG_FILE_NAMES as ENGINE_CONFIG_FILE_NAMES } from '../../rules/core/config';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/settings';

/**
 * package.json as the extension manifest, checked against the client code that relies on it, the
 * server's settings, and the built bundle. No VS Code needed: editor end-to-end tests are issue 10.
 */
const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface ContributedCommand {
  command: string;
  title?: string;
  category?: string;
}
interface Setting {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  enumItemLabels?: string[];
  minimum?: number;
  maximum?: number;
}

const commands: ContributedCommand[] = pkg.contributes?.commands ?? [];
const settings: Record<string, Setting> = pkg.contributes?.configuration?.properties ?? {};
const commandIds = new Set(commands.map((c) => c.command));

function clientSources(dir = path.join(ROOT, 'client')): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return clientSources(full);
    return e.name.endsWith('.ts') ? [{ file: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') }] : [];
  });
}

/** `mlready.*` strings in client code that are neither commands nor settings. */
const OTHER_IDS = new Set<string>(['mlready.status' /* the status bar item's id */, ...CONFIG_FILE_NAMES]);

describe('extension manifest (package.json)', () => {
  describe('commands', () => {
    it('every command id of the client is contributed with a title and the mlready category', () => {
      for (const id of Object.values(Commands)) {
        const c = commands.find((x) => x.command === id);
        assert.ok(c, `${id} is used by the client but not in contributes.commands`);
        assert.ok(c.title && c.title.trim(), `${id} has no title`);
        assert.equal(c.category, 'mlready', `${id} needs category "mlready"`);
      }
    });

    it('every mlready.* identifier written in client code is a contributed command or setting', () => {
      const settingKeys = new Set(Object.keys(settings));
      for (const { file, text } of clientSources()) {
        for (const m of text.matchAll(/['"`](mlready\.[A-Za-z][\w.]*)['"`]/g)) {
          const id = m[1];
          assert.ok(commandIds.has(id) || settingKeys.has(id) || OTHER_IDS.has(id), `${file}: "${id}" is neither a contributed command nor a setting`);
        }
      }
    });

    it('contributes no command the client does not register', () => {
      const known = new Set<string>(Object.values(Commands));
      for (const c of commands) assert.ok(known.has(c.command), `${c.command} is contributed but the client never registers it`);
      assert.equal(commandIds.size, commands.length, 'a command is contributed twice');
    });

    it('menus only name contributed commands', () => {
      for (const [menu, entries] of Object.entries<{ command: string }[]>(pkg.contributes?.menus ?? {})) {
        for (const e of entries) assert.ok(commandIds.has(e.command), `menu ${menu} names unknown command ${e.command}`);
      }
    });
  });

  describe('settings', () => {
    it('every setting has a type and a description, and enums are described', () => {
      assert.ok(Object.keys(settings).length > 0);
      for (const [key, s] of Object.entries(settings)) {
        assert.match(key, /^mlready\./, `${key} must live under the mlready section`);
        assert.ok(s.type, `${key} has no type`);
        assert.ok((s.description ?? s.markdownDescription ?? '').trim().length > 10, `${key} needs a description`);
        assert.ok('default' in s, `${key} has no default`);
        if (s.enum) {
          assert.ok(s.enum.includes(s.default), `${key}: default ${JSON.stringify(s.default)} is not in its enum`);
          assert.equal(s.enumDescriptions?.length, s.enum.length, `${key}: one enumDescription per enum value`);
          if (s.enumItemLabels) assert.equal(s.enumItemLabels.length, s.enum.length, `${key}: one enumItemLabel per enum value`);
        } else if (s.type === 'number' || s.type === 'integer') {
          assert.equal(typeof s.default, 'number');
          if (s.minimum !== undefined) assert.ok((s.default as number) >= s.minimum, `${key}: default below minimum`);
          if (s.maximum !== undefined) assert.ok((s.default as number) <= s.maximum, `${key}: default above maximum`);
        } else {
          assert.equal(typeof s.default, s.type, `${key}: default does not match its type`);
        }
      }
    });

    it('covers every setting the server reads, with the same defaults', () => {
      const defaults: Record<string, unknown> = {};
      for (const key of Object.keys(DEFAULT_SETTINGS)) {
        assert.ok(settings[`mlready.${key}`], `the server reads mlready.${key} but it is not contributed`);
        defaults[key] = settings[`mlready.${key}`].default;
      }
      // "" for mlready.stage means "from mlready.yaml", which the server knows as null
      assert.deepEqual(normalizeSettings(defaults), DEFAULT_SETTINGS);
    });

    it('the stage setting offers the stages and "" for mlready.yaml', () => {
      assert.deepEqual(settings['mlready.stage'].enum, ['', 'exploration', 'pilot', 'production']);
      assert.equal(settings['mlready.stage'].default, '');
    });

    it('trace setting matches the client id that vscode-languageclient reads it by', () => {
      const trace = settings[`${CLIENT_ID}.trace.server`];
      assert.ok(trace, `${CLIENT_ID}.trace.server must be contributed`);
      assert.deepEqual(trace.enum, ['off', 'messages', 'verbose']);
    });
  });

  describe('activation', () => {
    const events: string[] = pkg.activationEvents ?? [];

    it('is narrow: no "*", no start-up activation, only language, notebook and marker-file events', () => {
      assert.ok(events.length > 0);
      for (const e of events) {
        assert.notEqual(e, '*', 'activation on "*" slows every VS Code start');
        assert.notEqual(e, 'onStartupFinished');
        assert.match(e, /^(onLanguage:|onNotebook:|workspaceContains:)/, `unexpected activation event ${e}`);
        // contributed commands activate the extension by themselves since VS Code 1.74
        assert.ok(!e.startsWith('onCommand:'), `${e} is implied by contributes.commands`);
      }
      assert.equal(new Set(events).size, events.length, 'duplicate activation event');
    });

    it('covers Python, YAML, requirements, Jupyter notebooks and ML project marker files', () => {
      for (const e of [
        'onLanguage:python',
        'onLanguage:yaml',
        'onLanguage:pip-requirements',
        'onNotebook:jupyter-notebook',
        'workspaceContains:**/mlready.yaml',
        'workspaceContains:**/MLproject',
        'workspaceContains:**/dvc.yaml',
      ]) {
        assert.ok(events.includes(e), `missing activation event ${e}`);
      }
    });

    it('activates on, and watches, every spelling of the config file the engine reads', () => {
      assert.deepEqual([...CONFIG_FILE_NAMES], ENGINE_CONFIG_FILE_NAMES, 'client/document-selector.ts is out of step with the engine');
      for (const name of ENGINE_CONFIG_FILE_NAMES) {
        assert.ok(events.includes(`workspaceContains:**/${name}`), `missing workspaceContains:**/${name}`);
        assert.ok(CONFIG_FILE_GLOB.includes(name), `the config watcher misses ${name}`);
      }
    });

    it('activates only for languages the server is given', () => {
      const selected = new Set<string>(TEXT_LANGUAGES);
      for (const e of events.filter((x) => x.startsWith('onLanguage:'))) {
        assert.ok(selected.has(e.slice('onLanguage:'.length)), `${e} activates for a language the document selector leaves out`);
      }
    });

    it('the document selector syncs notebook cells, .ipynb and MLproject files', () => {
      const filters = DOCUMENT_SELECTOR.filter((f): f is Exclude<typeof f, string> => typeof f !== 'string');
      assert.ok(filters.some((f) => 'notebook' in f && f.notebook === 'jupyter-notebook' && f.language === 'python'));
      assert.ok(filters.some((f) => 'pattern' in f && f.pattern === '**/*.ipynb'));
      assert.ok(filters.some((f) => 'pattern' in f && f.pattern === '**/MLproject'));
      for (const language of ['python', 'yaml', 'pip-requirements', 'dockerfile', 'dotenv', 'toml']) {
        assert.ok(filters.some((f) => 'language' in f && f.language === language && !('notebook' in f)), `selector misses ${language}`);
      }
    });
  });

  describe('workspace trust', () => {
    const trust = pkg.capabilities?.untrustedWorkspaces;

    it('declares limited support with a description', () => {
      assert.equal(trust?.supported, 'limited');
      assert.ok(typeof trust.description === 'string' && trust.description.length > 20);
    });

    it('restricts every free-form string setting (one that could name an executable or a path)', () => {
      const restricted = new Set<string>(trust?.restrictedConfigurations ?? []);
      for (const key of restricted) assert.ok(settings[key], `restrictedConfigurations names unknown setting ${key}`);
      for (const [key, s] of Object.entries(settings)) {
        const freeForm = (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'))) && !s.enum;
        if (freeForm) assert.ok(restricted.has(key), `${key} is a free-form string: list it in restrictedConfigurations`);
      }
    });
  });

  describe('marketplace fields', () => {
    it('keeps engines.vscode at ^1.91.0, no older than vscode-languageclient needs and @types/vscode describes', () => {
      assert.equal(pkg.engines.vscode, '^1.91.0');
      const minor = (v: string) => Number(/(\d+)\.(\d+)/.exec(v)![2]);
      const client = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/vscode-languageclient/package.json'), 'utf8'));
      const types = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@types/vscode/package.json'), 'utf8'));
      assert.ok(minor(pkg.engines.vscode) >= minor(client.engines.vscode), 'engines.vscode is older than vscode-languageclient requires');
      assert.ok(minor(types.version) <= minor(pkg.engines.vscode), '@types/vscode is newer than engines.vscode (vsce refuses to package)');
    });

    it('has the categories, keywords, repository, homepage and banner the Marketplace shows', () => {
      assert.deepEqual(pkg.categories, ['Linters', 'Data Science', 'Machine Learning', 'Notebooks']);
      assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.length > 0 && pkg.keywords.length <= 30, 'vsce allows at most 30 keywords');
      assert.match(pkg.repository?.url ?? '', /^https:\/\//);
      assert.match(pkg.homepage ?? '', /^https:\/\//);
      assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
      assert.ok(['dark', 'light'].includes(pkg.galleryBanner?.theme));
    });

    it('has a PNG icon of at least 128×128 and at most 20 KB', () => {
      const icon = fs.readFileSync(path.join(ROOT, pkg.icon));
      assert.ok(pkg.icon.endsWith('.png'), 'the Marketplace needs a PNG icon (no SVG)');
      assert.deepEqual([...icon.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
      assert.ok(icon.length <= 20 * 1024, `icon is ${icon.length} bytes`);
      assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'icon smaller than 128×128');
    });
  });

  describe('bundle', function () {
    this.timeout(60000);
    const bundle = path.join(ROOT, 'dist', 'client.js');

    before(() => {
      // `npm test` builds first; a bare `mocha` run builds here rather than failing on a missing file
      if (!fs.existsSync(bundle)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    });

    it('main points to dist/client.js, which the build produced', () => {
      assert.equal(path.normalize(pkg.main), path.normalize('./dist/client.js'));
      assert.ok(fs.existsSync(path.join(ROOT, pkg.main)));
    });

    it('holds no engine or server code (the client stays thin)', () => {
      const text = fs.readFileSync(bundle, 'utf8');
      assert.ok(!/tree-sitter/.test(text), 'tree-sitter is in the client bundle: the engine got imported');
      // esbuild marks each bundled module with a `// path` comment in unminified builds
      for (const folder of ['rules/', 'server/', 'cli/', 'node_modules/yaml/', 'node_modules/vscode-languageserver/']) {
        assert.ok(!text.includes(`\n// ${folder}`), `${folder} code is in the client bundle`);
      }
      assert.ok(fs.statSync(bundle).size < 2 * 1024 * 1024, 'client bundle over 2 MB');
    });

    it('leaves vscode to the host', () => {
      const text = fs.readFileSync(bundle, 'utf8');
      assert.ok(/require\(["']vscode["']\)/.test(text), 'the bundle should require("vscode") at run time');
    });
  });
});
