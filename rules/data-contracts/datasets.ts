import type { WorkspaceFacts } from '../core/facts';
import type { FindingLocation } from '../core/rule';
import type { Backend } from './python-index';
import { memoizeByString } from '../core/memo';
import { underscoredWords } from '../fixes/python-edits';

/**
 * Dataset names and where their contracts live. A dataset is named after the file or table it is
 * read from (`data/raw/customers.csv` → `customers`); schemas and contracts are matched to it by
 * a normalised form of the name (`CUSTOMERS_SCHEMA`, `CustomerSchema`, `customers.odcs.yaml` all
 * match `customers`).
 */

/** Facts recorded by the family's collector (FileFacts.values keys). */
export const FACT_SCHEMA = 'data-contracts.schema';
export const FACT_CONTRACT = 'data-contracts.contract';
export const FACT_PIPELINE_SCRIPT = 'data-contracts.pipeline-script';
/** Tags (FileFacts.tags), with the places that justify them. */
export const TAG_READ = 'data-read';
export const TAG_VALIDATION = 'data-validation';
export const TAG_CONTRACT_FILE = 'data-contract-file';

export interface SchemaFact {
  dataset: string;
  symbol: string;
  backend: Backend;
  kind: 'schema' | 'model';
  location: FindingLocation;
}

export interface ContractFact {
  dataset: string;
  location: FindingLocation;
}

const GENERIC = new Set(['df', 'data', 'dataset', 'frame', 'raw', 'tmp', 'temp', 'table', 'input', 'output', 'x', 'y', 'sample', 'file', 'path', 'result', 'results', 'out', 'records', 'rows', 'ds', 'lf', 'ddf', 'sdf', 'pdf']);

/** Answers by path, then variable (both as given, empty when absent): reads and writes repeat them. */
const datasetNames = new Map<string, Map<string, string | null>>();

/** `customers`, from a path, a table name or a variable; null when nothing specific is known. */
export function datasetName(path: string | null | undefined, variable?: string | null): string | null {
  if (datasetNames.size > 10_000) datasetNames.clear();
  let byVariable = datasetNames.get(path || '');
  if (!byVariable) datasetNames.set(path || '', (byVariable = new Map()));
  let name = byVariable.get(variable || '');
  if (name === undefined) byVariable.set(variable || '', (name = computeDatasetName(path || '', variable || '')));
  return name;
}

function computeDatasetName(path: string, variable: string): string | null {
  if (path) {
    const clean = path.replace(/[?#].*$/, '').replace(/\{…\}/g, '*');
    const parts = clean.split(/[\\/]/).filter(Boolean);
    for (let i = parts.length - 1; i >= 0; i--) {
      let seg = parts[i].replace(/\.(gz|bz2|zip|xz|zst)$/i, '').replace(/\.[A-Za-z0-9]{1,8}$/, '');
      // clicks-*.csv, part_{…}.parquet: the fixed part names the dataset
      seg = seg.replace(/[-_.]?[*?[{].*$/, '');
      // table names: catalog.schema.table
      if (!/[\\/]/.test(path) && seg.includes('.')) seg = seg.split('.').pop() ?? seg;
      if (/[*?[\]{}=]/.test(seg) || /^(\d+|\d{4}-\d{2}(-\d{2})?|part-\d+.*|latest|current|v\d+|raw|processed|interim|external|data|datasets?|input|output|s3:|gs:|abfss?:|file:)$/i.test(seg)) continue;
      const name = identifierFor(seg);
      if (name && !GENERIC.has(name)) return name;
    }
  }
  if (variable) {
    const name = identifierFor(variable.replace(/^self\./, '').replace(/(_df|_raw|_frame|_data)$/i, ''));
    if (name && !GENERIC.has(name)) return name;
  }
  return null;
}

/** snake_case identifier: `Customer Churn-2024` → `customer_churn_2024`. */
export const identifierFor = memoizeByString(computeIdentifierFor);


function computeIdentifierFor(s: string): string | null {
  const id = underscoredWords(s).toLowerCase();
  if (!id) return null;
  return /^[0-9]/.test(id) ? `d_${id}` : id;
}

/** The form names are compared in: lower case, letters and digits, no plural s, no schema/contract suffix. */
export function normalizeDataset(name: string): string {
  let n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  n = n.replace(/(_|^)(schema|model|contract|dataframe_model|df|frame|data_?frame)$/g, '').replace(/^(raw|clean|validated)_/, '');
  n = n.replace(/[^a-z0-9]+/g, '');
  if (n.endsWith('ies') && n.length > 4) n = `${n.slice(0, -3)}y`;
  else if (n.endsWith('s') && !n.endsWith('ss') && n.length > 3) n = n.slice(0, -1);
  return n;
}

/** The dataset a schema symbol is about: `CUSTOMERS_SCHEMA` → customers; a generic `SCHEMA` takes the module's name. */
export function datasetOfSchema(symbol: string, modulePath: string): string | null {
  const stripped = symbol.replace(/(_?SCHEMA|_?Schema|_?schema|_?Model|_?CONTRACT|_?Contract)$/, '');
  if (stripped && !/^(in|out|input|output|the|my|df)$/i.test(stripped)) return identifierFor(stripped);
  const stem = (modulePath.split('/').pop() ?? '').replace(/\.py$/, '');
  if (stem && !/^(schemas?|contracts?|models?|__init__|validation)$/.test(stem)) return identifierFor(stem);
  return null;
}

export function schemaSymbol(dataset: string): string {
  return `${dataset.toUpperCase()}_SCHEMA`;
}

export function schemasFor(facts: WorkspaceFacts, dataset: string): (SchemaFact & { path: string })[] {
  const want = normalizeDataset(dataset);
  return facts
    .values<SchemaFact>(FACT_SCHEMA)
    .filter(({ value }) => normalizeDataset(value.dataset) === want)
    .map(({ file, value }) => ({ ...value, path: file.path }));
}

export function contractsFor(facts: WorkspaceFacts, dataset: string): (ContractFact & { path: string })[] {
  const want = normalizeDataset(dataset);
  return facts
    .values<ContractFact>(FACT_CONTRACT)
    .filter(({ value }) => normalizeDataset(value.dataset) === want)
    .map(({ file, value }) => ({ ...value, path: file.path }));
}

/** Schema or contract files by name: datacontract.yaml, *.odcs.yaml, <name>.schema.json, schemas/<name>.py … */
export const CONTRACT_FILE = /(^|\/)(datacontract\.ya?ml|[^/]+\.datacontract\.ya?ml|[^/]+\.odcs\.(ya?ml|json)|odcs\.ya?ml)$/i;
export const SCHEMA_FILE = /(^|\/)([^/]*[._-])?(schema|schemas|contract)\.(json|ya?ml|avsc|py|sql)$|(^|\/)[^/]+\.(schema\.json|avsc)$/i;

/** The importable module of a Python file: `src/churn/schemas/customers.py` → `churn.schemas.customers`. */
export function moduleOf(path: string, paths: ReadonlySet<string> | null, from?: string): string {
  const noExt = path.replace(/\.py$/, '');
  const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  if (from) {
    // a script's own folder is on sys.path: schemas beside it import by their relative path
    const base = dir(from);
    if (base && noExt.startsWith(`${base}/`) && !(paths?.has(`${base}/__init__.py`))) return noExt.slice(base.length + 1).replace(/\//g, '.');
    if (!base && !noExt.includes('/')) return noExt;
  }
  if (paths) {
    // inside a package: from the parent of the top-most folder with an __init__.py
    let top = dir(path);
    if (paths.has(`${top}/__init__.py`)) {
      while (dir(top) && paths.has(`${dir(top)}/__init__.py`)) top = dir(top);
      const root = dir(top);
      return (root ? noExt.slice(root.length + 1) : noExt).replace(/\//g, '.');
    }
  }
  return noExt.replace(/^src\//, '').replace(/\//g, '.');
}
