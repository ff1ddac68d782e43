import type { Node } from '../documents/python/syntax-tree';
import { addTag, addValue, type FileFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import type { TextUnit } from '../core/units';
import type { AnalyzedDocument } from '../documents/document';
import { yentries, yget, yitems, ystring } from '../documents/yaml-nodes';
import { CONTRACT_FILE, datasetOfSchema, FACT_CONTRACT, FACT_PIPELINE_SCRIPT, FACT_SCHEMA, TAG_CONTRACT_FILE, TAG_READ, TAG_VALIDATION, type ContractFact, type SchemaFact } from './datasets';
import { programIndex } from './python-index';
import { dataReads } from './readers';
import { isValidationCall } from './validation';

/**
 * Facts of the data-contracts family, for project-level judgements:
 * - tag `data-read`: every dataset read (test folders included; rules filter them with the config);
 * - tag `data-validation`: schema definitions and validation calls;
 * - value `data-contracts.schema`: pandera schemas and models with the dataset they describe;
 * - value `data-contracts.contract` + tag `data-contract-file`: datasets named by a data contract
 *   (Data Contract Specification, ODCS, Soda checks);
 * - value `data-contracts.pipeline-script`: Python scripts run by a DVC stage (pipeline code).
 */
export const collectDataContractFacts: FactCollector = (doc, facts) => {
  if (doc.python && !doc.notebook?.problem) collectPython(doc, facts);
  if (doc.yaml) collectYaml(doc, facts);
};

export function locationOf(path: string, unit: TextUnit, start: number, end: number): FindingLocation {
  const loc: FindingLocation = {
    path,
    range: unit.lines.rangeOf(start, end),
    fileRange: { start: unit.toFileOffset(start), end: unit.toFileOffset(end) },
  };
  if (unit.cell !== undefined) loc.cell = unit.cell;
  return loc;
}

const NO_ALLOW = { allow: [] };
const VALIDATION_LIBRARIES = ['pandera', 'great_expectations', 'soda', 'datacontract'];
const VALIDATION_LIBRARY_CALL = /^(pandera|great_expectations|soda|datacontract)\b/;

function collectPython(doc: AnalyzedDocument, facts: FileFacts): void {
  const program = doc.python!;
  const index = programIndex(program);
  for (const read of dataReads(program)) addTag(facts, TAG_READ, locationOf(doc.path, read.call.unit, read.call.node.startIndex, read.call.node.endIndex));
  for (const [symbol, s] of index.panderaSchemas) {
    const dataset = datasetOfSchema(symbol, doc.path);
    const at = nameNode(s.node, s.kind) ?? s.node;
    const location = locationOf(doc.path, s.unit, at.startIndex, at.endIndex);
    addTag(facts, TAG_VALIDATION, location);
    if (dataset) addValue(facts, FACT_SCHEMA, { dataset, symbol, backend: s.backend, kind: s.kind, location } satisfies SchemaFact);
  }
  // a qualified name starts with an imported module: without one of these imports no call can name them
  const validationLibrary = VALIDATION_LIBRARIES.some((m) => program.imports.imports(m));
  for (const call of program.calls()) {
    // the cheap name test first: few calls are named like a validation library's
    if ((call.method === 'validate' || (validationLibrary && VALIDATION_LIBRARY_CALL.test(call.qualified ?? ''))) && isValidationCall(index, call, 'argument', NO_ALLOW)) {
      addTag(facts, TAG_VALIDATION, locationOf(doc.path, call.unit, call.node.startIndex, call.node.endIndex));
    }
  }
}

function nameNode(node: Node, kind: 'schema' | 'model'): Node | null {
  if (kind === 'model') return node.childForFieldName('name');
  const assignment = node.parent;
  return assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
}

function collectYaml(doc: AnalyzedDocument, facts: FileFacts): void {
  const yaml = doc.yaml!;
  const unit = yaml.unit;
  const contract = (name: string | undefined, node: { range?: [number, number, number] | null } | null | undefined) => {
    if (!name) return;
    const r = node?.range ?? [0, 0, 0];
    addValue(facts, FACT_CONTRACT, { dataset: name, location: locationOf(doc.path, unit, r[0], r[1]) } satisfies ContractFact);
  };
  let isContract = CONTRACT_FILE.test(doc.path);
  for (const { doc: d, kind } of yaml.documents) {
    const root = d.contents;
    if (kind === 'dvc') {
      collectDvcScripts(doc.path, root, facts);
      continue;
    }
    // Open Data Contract Standard: kind: DataContract, apiVersion: v3…, schema: [{name, physicalName}]
    const kindValue = ystring(yget(root, 'kind'));
    const api = ystring(yget(root, 'apiVersion')) ?? '';
    if (kindValue === 'DataContract' && /^v?[23]\./.test(api)) {
      isContract = true;
      for (const s of yitems(yget(root, 'schema'))) {
        contract(ystring(yget(s, 'name')), yget(s, 'name'));
        contract(ystring(yget(s, 'physicalName')), yget(s, 'physicalName'));
      }
      for (const ds of yitems(yget(root, 'dataset'))) contract(ystring(yget(ds, 'table')), yget(ds, 'table')); // ODCS v2
    }
    // Data Contract Specification: dataContractSpecification, models: {name: {...}}
    if (yget(root, 'dataContractSpecification')) {
      isContract = true;
      for (const e of yentries(yget(root, 'models'))) contract(e.key, e.keyNode);
    }
    // Soda checks: `checks for orders:`
    for (const e of yentries(root)) {
      const m = /^checks for ([A-Za-z0-9_.$"`\-]+)/.exec(e.key);
      if (m) {
        isContract = true;
        contract(m[1].replace(/["`]/g, '').split('.').pop(), e.keyNode);
      }
    }
  }
  if (isContract) addTag(facts, TAG_CONTRACT_FILE, locationOf(doc.path, unit, 0, 0));
}

/** `python src/prepare.py --x`, `python -m pkg.mod` in DVC stage commands, relative to the root. */
function collectDvcScripts(path: string, root: unknown, facts: FileFacts): void {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  for (const stage of yentries(yget(root, 'stages'))) {
    const wdir = ystring(yget(stage.value, 'wdir'));
    const base = wdir && wdir !== '.' ? `${dir}${wdir.replace(/\/+$/, '')}/` : dir;
    const cmdNode = yget(stage.value, 'cmd');
    const cmds = ystring(cmdNode) !== undefined ? [ystring(cmdNode)!] : yitems(cmdNode).map((c) => ystring(c) ?? '');
    for (const cmd of cmds) {
      for (const m of cmd.matchAll(/(?:^|\s)([\w./-]+\.py)\b/g)) addValue(facts, FACT_PIPELINE_SCRIPT, normalizePath(base + m[1]));
      for (const m of cmd.matchAll(/\s-m\s+([\w.]+)/g)) {
        const mod = m[1].replace(/\./g, '/');
        addValue(facts, FACT_PIPELINE_SCRIPT, normalizePath(`${base}${mod}.py`));
        addValue(facts, FACT_PIPELINE_SCRIPT, normalizePath(`${base}src/${mod}.py`));
      }
    }
  }
}

export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
