import { scanOne } from './fuzz-helpers';
import { notebookFromCells, documentFromNotebook, lintDocument, defaultConfig, defaultRegistry, initPython } from '../../rules';
(async () => {
  for (const [name, t] of [['dict', `x = ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`], ['list', `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`], ['yamlflow', `a: b\n---\n${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`], ['blockseq', `${'- '.repeat(10_000)}x\n`]] as const) {
    const r = await scanOne('x.py', t);
    console.log(name, 'py', r.cpuMs.toFixed(0), 'ms', r.result.findings.map((f) => f.code).join(','));
    await initPython();
    const c = process.cpuUsage();
    const doc = documentFromNotebook('x.ipynb', notebookFromCells([{ kind: 'code', source: t } as any, { kind: 'code', source: 'y = 1\n' } as any]));
    lintDocument(doc, { config: defaultConfig(), registry: defaultRegistry() });
    doc.dispose();
    const u = process.cpuUsage(c);
    console.log(name, 'nb cell', ((u.user + u.system) / 1000).toFixed(0), 'ms');
  }
})();
