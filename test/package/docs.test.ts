import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { execFileSync } from 'child_process';
import { FORMATS, parseArgs } from '../../cli/args';
import { renderRulePage, ruleDocsMarkdown, ruleDocsText } from '../../cli/rule-docs';
import { defaultRegistry } from '../../rules/all';

/**
 * What a new user reads — the walkthrough, the README's CI recipes, the changelog — checked
 * against what the extension and the CLI really provide, so none of it goes stale silently.
 */
const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
const settings = new Set(Object.keys(pkg.contributes.configuration.properties));
const views = new Set<string>(Object.values<{ id: string }[]>(pkg.contributes.views).flatMap((v) => v.map((x) => x.id)));
/** VS Code's own commands the walkthrough links to. */
const BUILTIN_COMMANDS = new Set(['workbench.action.files.openFolder', 'workbench.actions.view.problems', 'workbench.action.openSettings']);

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}

/** The README's section under `title`, up to the next heading of the same or a higher level (outside code blocks). */
function section(title: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(title);
  assert.ok(start >= 0, `README.md has no "${title}" section`);
  const level = title.indexOf(' ');
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith('```')) fenced = !fenced;
    const heading = /^(#+) /.exec(lines[i]);
    if (!fenced && heading && heading[1].length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

function yamlBlocks(text: string): unknown[] {
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]));
}

/** The `mlready …` arguments of a shell line (after `npx --yes mlready@x` or `mlready`). */
function cliArgs(line: string): string[] | null {
  const m = /(?:npx (?:--yes )?)?mlready(?:@[\w.]+)? (check .*?)(?:\s*>>.*)?$/.exec(line);
  return m ? m[1].trim().split(/\s+/) : null;
}

describe('the walkthrough (contributes.walkthroughs)', () => {
  const walkthroughs: { id: string; title: string; description: string; steps: Step[] }[] = pkg.contributes.walkthroughs ?? [];
  const steps = walkthroughs[0]?.steps ?? [];

  it('has one walkthrough with titled, described steps and unique ids', () => {
    assert.equal(walkthroughs.length, 1);
    assert.ok(walkthroughs[0].title && walkthroughs[0].description);
    assert.ok(steps.length >= 4, `only ${steps.length} steps`);
    assert.equal(new Set(steps.map((s) => s.id)).size, steps.length);
    for (const s of steps) assert.ok(s.title.trim() && s.description.trim().length > 40, `step ${s.id}`);
  });

  it('gives every step a Markdown page in media/walkthrough/, and leaves none unused', () => {
    const dir = path.join(ROOT, 'media', 'walkthrough');
    const used = new Set<string>();
    for (const s of steps) {
      assert.ok(s.media.markdown, `step ${s.id} has no markdown media`);
      assert.match(s.media.markdown, /^media\/walkthrough\/[\w-]+\.md$/);
      const text = fs.readFileSync(path.join(ROOT, s.media.markdown), 'utf8');
      assert.match(text, /^# \S/, `${s.media.markdown} must start with a title`);
      used.add(path.basename(s.media.markdown));
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), [...used].sort());
  });

  it('links only to contributed or built-in commands, and completes on real commands, settings and views', () => {
    for (const s of steps) {
      for (const m of s.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(commands.has(m[1]) || BUILTIN_COMMANDS.has(m[1]), `step ${s.id} links to unknown command ${m[1]}`);
      }
      assert.ok(s.completionEvents?.length, `step ${s.id} has no completion event`);
      for (const e of s.completionEvents!) {
        const [kind, arg] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(commands.has(arg) || BUILTIN_COMMANDS.has(arg), `${s.id}: ${e}`);
        else if (kind === 'onSettingChanged') assert.ok(settings.has(arg), `${s.id}: ${e}`);
        else if (kind === 'onView') assert.ok(views.has(arg), `${s.id}: ${e}`);
        else assert.ok(['onContext', 'onLink'].includes(kind), `${s.id}: unexpected completion event ${e}`);
      }
    }
  });

  it('goes from opening a project, through findings and fixes, to the readiness score', () => {
    const index = (command: string) => steps.findIndex((s) => s.description.includes(`(command:${command}`));
    const open = index('workbench.action.files.openFolder');
    const problems = index('workbench.actions.view.problems');
    const fix = index('mlready.fixAll');
    const score = index('mlready.showReadiness');
    assert.ok(open === 0, 'the first step opens a project');
    assert.ok(open < problems && problems < fix && fix < score, `order: open ${open}, problems ${problems}, fix ${fix}, score ${score}`);
    assert.ok(steps[score].completionEvents!.includes('onCommand:mlready.showReadiness'));
  });

  it('is opened by its full id from the empty Readiness view, whose buttons are real commands', () => {
    const welcome: { view: string; contents: string }[] = pkg.contributes.viewsWelcome ?? [];
    const entry = welcome.find((w) => w.view === 'mlreadyReadiness');
    assert.ok(entry && views.has(entry.view), 'no welcome content for the Readiness view');
    const links = [...entry.contents.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
    assert.ok(links.length >= 2);
    for (const [, command, arg] of links) {
      if (command === 'workbench.action.openWalkthrough') assert.equal(JSON.parse(decodeURIComponent(arg)), `${pkg.publisher}.${pkg.name}#${walkthroughs[0].id}`);
      else assert.ok(commands.has(command), `unknown command ${command}`);
    }
  });

  it('names real rules in its pages (code and name)', () => {
    const registry = defaultRegistry();
    let seen = 0;
    for (const s of steps) {
      const text = fs.readFileSync(path.join(ROOT, s.media.markdown!), 'utf8');
      for (const m of text.matchAll(/\b([MPDRGSLN]\d{3})\s+([a-z][a-z0-9-]+)/g)) {
        seen++;
        assert.equal(registry.byCode(m[1])?.name, m[2], `${s.media.markdown}: ${m[1]} is not ${m[2]}`);
      }
    }
    assert.ok(seen >= 3);
  });
});

describe('README, CHANGELOG and LICENSE', () => {
  it('shows the three screenshots the e2e suite takes', () => {
    for (const image of ['diagnostics', 'quick-fix', 'readiness-panel']) assert.match(readme, new RegExp(`!\\[[^\\]]+\\]\\(docs/images/${image}\\.png\\)`));
  });

  it('documents every setting and command the extension contributes', () => {
    for (const key of settings) assert.ok(readme.includes(`\`${key}\``), `README.md does not document ${key}`);
    for (const c of pkg.contributes.commands) assert.ok(readme.includes(c.title), `README.md does not name the command "${c.title}"`);
  });

  it('documents every --format of check in the CI section', () => {
    const ci = section('## Continuous integration');
    for (const format of FORMATS.filter((f) => f !== 'text')) assert.ok(ci.includes(`| \`${format}\` |`), `no row for --format ${format}`);
  });

  it('has a GitHub Actions workflow that uploads the SARIF report it writes, with valid mlready arguments', () => {
    const gh = section('### GitHub Actions');
    const [workflow] = yamlBlocks(gh) as { permissions: unknown; jobs: Record<string, { permissions: Record<string, string>; steps: Record<string, any>[] }> }[];
    const job = Object.values(workflow.jobs)[0];
    assert.equal(job.permissions['security-events'], 'write', 'uploading SARIF needs security-events: write');
    const runs = job.steps.filter((s) => s.run).map((s) => cliArgs(s.run)).filter((a): a is string[] => a !== null);
    assert.ok(runs.length >= 2);
    for (const args of runs) assert.equal(parseArgs(args).command, 'check', args.join(' '));
    const sarif = runs.find((a) => a[a.indexOf('--format') + 1] === 'sarif')!;
    assert.ok(sarif, 'no --format sarif run');
    const upload = job.steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'no upload-sarif step');
    assert.equal(upload.with.sarif_file, sarif[sarif.indexOf('--output') + 1]);
    assert.ok(runs.some((a) => a[a.indexOf('--format') + 1] === 'github'), 'no annotations run');
    assert.ok(job.steps.some((s) => String(s.uses).startsWith('actions/setup-node@') && Number(s.with['node-version']) >= Number(/\d+/.exec(pkg.engines.node)![0])));
    for (const m of gh.matchAll(/mlready@([\w.]+)/g)) assert.equal(m[1], pkg.version, 'the recipes pin the current version');
  });

  it('has a GitLab CI job whose reports are the files mlready writes', () => {
    const gl = section('### GitLab CI');
    const [config] = yamlBlocks(gl) as Record<string, { script: string[]; artifacts: { reports: Record<string, string> } }>[];
    const job = Object.values(config)[0];
    const runs = job.script.map(cliArgs).filter((a): a is string[] => a !== null);
    for (const args of runs) assert.equal(parseArgs(args).command, 'check', args.join(' '));
    const output = (format: string) => {
      const a = runs.find((r) => r[r.indexOf('--format') + 1] === format);
      assert.ok(a, `no --format ${format} run`);
      return a[a.indexOf('--output') + 1];
    };
    assert.equal(job.artifacts.reports.codequality, output('gitlab'));
    assert.equal(job.artifacts.reports.junit, output('junit'));
    for (const m of gl.matchAll(/mlready@([\w.]+)/g)) assert.equal(m[1], pkg.version);
  });

  it('has a pre-commit recipe for the hook this repository defines', () => {
    const pc = section('### pre-commit');
    const [config] = yamlBlocks(pc) as { repos: { repo: string; rev: string; hooks: { id: string; args?: string[] }[] }[] }[];
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string }[];
    const repo = config.repos[0];
    assert.equal(repo.repo, pkg.repository.url.replace(/\.git$/, ''));
    assert.equal(repo.rev, `v${pkg.version}`);
    for (const h of repo.hooks) {
      const hook = hooks.find((x) => x.id === h.id);
      assert.ok(hook, `no hook ${h.id} in .pre-commit-hooks.yaml`);
      assert.equal(parseArgs([...hook.entry.split(/\s+/).slice(1), ...(h.args ?? [])]).command, 'check');
    }
  });

  it('has a changelog entry for the current version, and the license package.json names', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`, 'm'));
    assert.equal(pkg.license, 'MIT');
    assert.match(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n/);
  });
});

describe('rule documentation: one renderer for docs/rules, `mlready explain` and SARIF help', () => {
  it('gives every rule the same sections, in the same order, in all three', () => {
    for (const rule of defaultRegistry().rules) {
      const page = [...renderRulePage(rule).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const help = [...ruleDocsMarkdown(rule).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const text = ruleDocsText(rule);
      assert.deepEqual(help, page, rule.code);
      assert.deepEqual(page.slice(0, 4), ['What it does', 'Why is this bad?', 'Example', 'Use instead'], rule.code);
      let at = 0;
      for (const title of page) {
        const i = text.indexOf(`\n${title}\n`, at);
        assert.ok(i > at, `${rule.code}: explain lacks "${title}" (or has it out of order)`);
        at = i;
      }
      assert.ok(text.includes(rule.docs.summary.trim().split('\n')[0]), `${rule.code}: explain lacks the summary`);
    }
  });

  it('`npm run docs -- --check` passes on the committed docs, README table and config schema', function () {
    this.timeout(60_000);
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/generate-docs.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(out, /docs\/rules, the README rules table and schemas\/mlready\.schema\.json are up to date/);
  });
});
