import { strict as assert } from 'assert';
import Ajv from 'ajv-draft-04';
import * as fs from 'fs';
import * as path from 'path';
import { formatGithub } from '../../cli/formats/github';
import { formatGitlab } from '../../cli/formats/gitlab';
import { formatJson } from '../../cli/formats/json';
import { formatJunit } from '../../cli/formats/junit';
import { formatMarkdown } from '../../cli/formats/markdown';
import { formatSarif } from '../../cli/formats/sarif';
import { formatText } from '../../cli/formats/text';
import { palette } from '../../cli/color';
import { FileLocator } from '../../cli/locations';
import type { CheckReport } from '../../cli/report';
import { computeScore, defaultRegistry, WorkspaceFacts, type Finding } from '../../rules';
import { makeProject, removeProject, REPO } from './helpers';
import { parseXml, childrenNamed } from './xml';

/**
 * Formatters on hand-made reports, for cases the sample project cannot produce on demand:
 * workspace-level findings, and messages full of characters each format must escape.
 */
function finding(over: Partial<Finding>): Finding {
  return {
    code: 'P101',
    name: 'hardcoded-user-path',
    category: 'portability',
    severity: 'warning',
    message: 'Path `/home/ana/x` points into a home folder.',
    file: 'train.py',
    range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } },
    fileRange: { start: 4, end: 9 },
    fixes: [{ title: 'Read from the environment', applicability: 'safe', edits: [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } }, start: 4, end: 9, fileStart: 4, fileEnd: 9, newText: 'SECRET-EDIT-PAYLOAD' }] }],
    docUrl: 'https://example.test/docs/rules/P101-hardcoded-user-path.md',
    ...over,
  };
}

const NASTY = 'a | b <script>x</script> & "q" \'s\' 100% done,: next\nline \u0001\u001b[31mred';

describe('formatters on hand-made reports', () => {
  let dir: string;
  const report = (findings: Finding[], anchor: string | null = 'README.md'): CheckReport => {
    const facts = new WorkspaceFacts();
    return {
      version: '9.9.9',
      root: '.',
      findings,
      score: computeScore(findings, facts),
      scanned: ['train.py'],
      skipped: [{ file: 'weird & <name>.py', reason: 'binary file (contains NUL bytes)' }],
      suppressions: [{ file: 'train.py', line: 2, codes: ['P101'], reason: 'pipe | and <b>', fileLevel: false, used: false }],
      anchor,
      ruleErrors: [],
      registry: defaultRegistry(),
      failOn: 'error',
      locator: new FileLocator(dir, false, dir),
    };
  };
  const project = finding({ code: 'M001', name: 'no-experiment-tracking', category: 'monitoring', file: null, fixes: [], message: 'No experiment tracking anywhere in the project.' });

  before(() => {
    dir = makeProject({ 'train.py': 'x = "/home/ana/x"\n', 'README.md': '# x\n' });
  });
  after(() => removeProject(dir));

  it('json carries no internal fields or edit payloads, and workspace findings have file null', () => {
    const out = formatJson(report([finding({}), project]));
    assert.ok(!out.includes('fileRange') && !out.includes('SECRET-EDIT-PAYLOAD') && !out.includes('"edits"'));
    const parsed = JSON.parse(out) as { findings: { file: string | null; cell?: number }[]; suppressions: unknown[] };
    assert.equal(parsed.findings[1].file, null);
    assert.ok(!('cell' in parsed.findings[0]), 'no cell outside notebooks');
    assert.equal(parsed.suppressions.length, 1);
  });

  it('sarif anchors workspace findings on a project file (GitHub rejects results without one) and stays valid', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', () => true).addFormat('uri-reference', () => true).addFormat('date-time', () => true);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatSarif(report([finding({ message: NASTY }), project]))) as { runs: { results: { locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[] };
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const [, ws] = log.runs[0].results;
    assert.equal(ws.locations?.[0].physicalLocation.artifactLocation.uri, 'README.md');
    assert.equal(ws.locations?.[0].physicalLocation.region?.startLine, 1);
    const none = JSON.parse(formatSarif(report([project], null))) as typeof log;
    assert.equal(none.runs[0].results[0].locations, undefined, 'with nothing to anchor on, no location rather than a wrong one');
  });

  it('github escapes messages and properties as the runner expects', () => {
    const out = formatGithub(report([finding({ message: NASTY, file: 'dir,with:odd.py' }), project]), { quiet: true });
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2, 'one line per finding: newlines are escaped');
    assert.ok(lines[0].startsWith('::warning file=dir%2Cwith%3Aodd.py,line=1,'), lines[0]);
    assert.ok(lines[0].includes('100%25 done,: next%0Aline'), lines[0]);
    assert.ok(lines[1].startsWith('::warning title=M001 no-experiment-tracking::'), 'workspace findings have no file');
  });

  it('gitlab gives every issue a path, anchoring workspace findings', () => {
    const issues = JSON.parse(formatGitlab(report([finding({}), project]))) as { location: { path: string }; severity: string; fingerprint: string }[];
    assert.deepEqual(
      issues.map((i) => i.location.path),
      ['train.py', 'README.md'],
    );
    assert.notEqual(issues[0].fingerprint, issues[1].fingerprint);
    const twins = JSON.parse(formatGitlab(report([finding({}), finding({ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 3 } } })]))) as { fingerprint: string }[];
    assert.notEqual(twins[0].fingerprint, twins[1].fingerprint, 'identical findings are told apart');
  });

  it('junit escapes XML and drops characters XML cannot carry', () => {
    const out = formatJunit(report([finding({ message: NASTY }), project]));
    const root = parseXml(out);
    const cases = childrenNamed(childrenNamed(root, 'testsuite')[0], 'testcase');
    const failure = childrenNamed(cases.find((c) => c.attributes.name === 'train.py')!, 'failure')[0];
    assert.ok(failure.attributes.message.includes('a | b <script>x</script> & "q" \'s\' 100% done,: next\nline'), failure.attributes.message);
    assert.ok(!failure.attributes.message.includes('\u0001'));
    assert.ok(cases.some((c) => c.attributes.name === '(project)'));
    assert.ok(cases.some((c) => c.attributes.name === 'weird & <name>.py' && childrenNamed(c, 'skipped').length === 1));
  });

  it('markdown keeps tables intact and HTML inert', () => {
    const out = formatMarkdown(report([finding({ message: NASTY }), project]));
    const row = out.split('\n').find((l) => l.includes('100% done'))!;
    assert.ok(row.includes('a \\| b &lt;script&gt;'), row);
    assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, 'four cells');
    assert.ok(out.includes('pipe \\| and &lt;b&gt;'));
    assert.ok(out.includes('(project)'));
  });

  it('text neutralises control characters and shows workspace findings as (project)', () => {
    const out = formatText(report([finding({ message: NASTY }), project]), { color: palette(false), quiet: false });
    assert.ok(!out.includes('\u001b') && !out.includes('\u0001'), 'no terminal escapes from file content');
    assert.ok(out.includes('train.py:1:5 warning P101 hardcoded-user-path a | b'), out);
    assert.ok(out.includes('(project) warning M001 no-experiment-tracking No experiment tracking'), out);
    assert.ok(!out.includes('--fail-on'), 'warnings do not reach --fail-on error');
    const strict = formatText({ ...report([finding({}), project]), failOn: 'warning' }, { color: palette(false), quiet: false });
    assert.ok(strict.includes('2 at or above --fail-on warning'), strict);
  });
});
