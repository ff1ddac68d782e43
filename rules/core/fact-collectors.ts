import type { AnalyzedDocument } from '../documents/document';
import { emptyFileFacts, type FileFacts } from './facts';
import type { FactCollector } from './registry';

/** The facts every file gets, before the families' collectors add their tags. */
export function collectFileFacts(doc: AnalyzedDocument, collectors: readonly FactCollector[] = []): FileFacts {
  const facts = emptyFileFacts(doc.path, doc.kind, countLines(doc));
  if (doc.notebook?.problem === undefined && doc.python) {
    for (const m of doc.python.imports.modules) facts.modules.add(m);
    for (const call of doc.python.calls()) if (call.qualified) facts.calls.add(call.qualified);
    for (const { node } of [...doc.python.nodes('function'), ...doc.python.nodes('class')]) {
      const name = node.childForFieldName('name')?.text;
      if (name) facts.definitions.add(name);
    }
  }
  if (doc.yaml) facts.yamlKind = doc.yaml.kind;
  for (const collect of collectors) {
    try {
      collect(doc, facts);
    } catch {
      // a collector that fails leaves its tags out; rules still run
    }
  }
  return facts;
}

function countLines(doc: AnalyzedDocument): number {
  if (doc.notebook && doc.python) return doc.python.units.reduce((n, u) => n + u.lines.lineCount, 0);
  return doc.file.lines.lineCount;
}
