import type { Node } from '../documents/python/syntax-tree';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { dottedName } from '../documents/python/syntax';
import { programIndex, type ProgramIndex } from './python-index';
import { dictEntries, stringList, stringValue, type StringValue } from './values';

/**
 * Dataset reads: the calls that bring tabular data into a program (pandas, polars, PySpark, Dask,
 * Modin, pandas-on-Spark, Hugging Face `datasets` with a tabular builder, numpy text tables).
 * Configuration files, text and model weights are not dataset reads.
 */

export type ReaderFamily = 'pandas' | 'polars' | 'pyspark' | 'dask' | 'datasets' | 'numpy';
export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'jsonl' | 'excel' | 'sql' | 'table' | 'feather' | 'orc' | 'avro' | 'delta' | 'npy' | 'other';

export interface ReadOptions {
  sep?: string;
  usecols?: string[];
  parseDates?: string[];
  /** Declared column types, as the source text of each value (`"int64"`, `float`, `pl.Int64`). */
  dtype?: Record<string, string>;
  indexCol?: string;
  names?: string[];
  noHeader?: boolean;
  jsonLines?: boolean;
}

export interface DataRead {
  call: CallSite;
  family: ReaderFamily;
  /** How the code spells it, for messages: `pd.read_csv`, `spark.read.parquet`. */
  label: string;
  format: DataFormat;
  pathNode: Node | null;
  path: StringValue | null;
  /** What the read itself declares about the data: types (`dtype=`, `schema=`) and columns (`usecols=`). */
  declares: { types: string | null; columns: string | null };
  options: ReadOptions;
}

const PANDAS_LIKE = /^(pandas|modin\.pandas|pyspark\.pandas|dask\.dataframe|cudf)\.(read_[a-z_]+)$/;
const PANDAS_READERS = new Set([
  'read_csv', 'read_table', 'read_parquet', 'read_json', 'read_excel', 'read_sql', 'read_sql_query', 'read_sql_table', 'read_feather',
  'read_orc', 'read_hdf', 'read_fwf', 'read_xml', 'read_stata', 'read_sas', 'read_spss', 'read_gbq', 'read_delta',
]);
const POLARS_READERS = /^polars\.(read_(csv|csv_batched|parquet|json|ndjson|excel|ods|database|database_uri|ipc|ipc_stream|avro|delta|iceberg)|scan_(csv|parquet|ndjson|ipc|delta|iceberg|pyarrow_dataset))$/;
const SPARK_READ_METHODS = new Set(['csv', 'parquet', 'json', 'orc', 'table', 'load', 'jdbc', 'avro', 'xml', 'delta']);
const TABULAR_BUILDERS = new Set(['csv', 'json', 'parquet', 'pandas', 'arrow', 'sql']);
const TABULAR_EXT = /\.(csv|tsv|tab|txt|parquet|pq|jsonl|ndjson|json|xlsx?|feather|arrow|orc|avro)(\.(gz|bz2|zip|xz|zst))?$/i;
const CONFIG_NAME = /(^|[\\/_.-])(config|conf|settings|params|parameters|hparams|hyperparameters|schema|metadata|manifest|credentials|secrets|vocab|tokenizer|mapping|label_map|id2label)([_.-]|\.json|$)/i;
/** The file's own name must say it holds examples: X_train.npy, features.npz, labels.npy (not embeddings.npy, weights.npy). */
const NUMPY_DATA_NAME = /^(x|y|x_train|x_test|x_val|y_train|y_test|y_val|features?|train|test|valid|validation|dataset|samples?|labels?|targets?|inputs?)([_.-].*)?$/i;

export function formatOf(method: string, path: string | undefined): DataFormat {
  const m = method.replace(/^(read|scan)_/, '');
  if (m === 'csv' || m === 'csv_batched' || m === 'fwf') return path && /\.(tsv|tab)(\.\w+)?$/i.test(path) ? 'tsv' : 'csv';
  if (m === 'table') return path && /\.csv(\.\w+)?$/i.test(path) ? 'csv' : path && TABULAR_EXT.test(path) ? 'tsv' : 'table';
  if (m === 'parquet') return 'parquet';
  if (m === 'ndjson') return 'jsonl';
  if (m === 'json') return path && /\.(jsonl|ndjson)(\.\w+)?$/i.test(path) ? 'jsonl' : 'json';
  if (m === 'excel' || m === 'ods') return 'excel';
  if (/^(sql|sql_query|sql_table|database|database_uri|gbq|jdbc)$/.test(m)) return 'sql';
  if (m === 'feather' || m === 'ipc' || m === 'ipc_stream') return 'feather';
  if (m === 'orc') return 'orc';
  if (m === 'avro') return 'avro';
  if (m === 'delta') return 'delta';
  if (path) return formatFromPath(path);
  return 'other';
}

export function formatFromPath(path: string): DataFormat {
  const p = path.toLowerCase().replace(/\.(gz|bz2|zip|xz|zst)$/, '');
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.tsv') || p.endsWith('.tab')) return 'tsv';
  if (p.endsWith('.parquet') || p.endsWith('.pq')) return 'parquet';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.json')) return 'json';
  if (/\.xlsx?$/.test(p)) return 'excel';
  if (p.endsWith('.feather') || p.endsWith('.arrow')) return 'feather';
  if (p.endsWith('.orc')) return 'orc';
  if (p.endsWith('.avro')) return 'avro';
  return 'other';
}

const readCache = new ProgramCache<DataRead[]>();

/** Every dataset read in the program, in program order. */
export function dataReads(program: PythonProgram): DataRead[] {
  let reads = readCache.get(program);
  if (!reads) {
    const index = programIndex(program);
    const spark = sparkPossible(program);
    reads = [];
    for (const call of program.calls()) {
      const r = classifyRead(index, call, spark);
      if (r) reads.push(r);
    }
    readCache.set(program, reads);
  }
  return reads;
}

/**
 * Whether a Spark read can be in the program: Spark is imported, or the source spells `spark`
 * (without the import, sparkRead accepts only chains whose text names it). Asked once, not per call.
 */
function sparkPossible(program: PythonProgram): boolean {
  return usesSparkModules(program) || program.units.some((u) => /spark/i.test(u.tree.source));
}

function usesSparkModules(program: PythonProgram): boolean {
  return program.imports.imports('pyspark') || program.imports.imports('databricks') || program.imports.imports('delta');
}

export function classifyRead(index: ProgramIndex, call: CallSite, spark = true): DataRead | null {
  const q = call.qualified;
  if (q) {
    const pandas = PANDAS_LIKE.exec(q);
    if (pandas && PANDAS_READERS.has(pandas[2])) {
      const family: ReaderFamily = pandas[1] === 'dask.dataframe' ? 'dask' : 'pandas';
      return pandasRead(index, call, family, pandas[2]);
    }
    if (POLARS_READERS.test(q)) return polarsRead(index, call, q.slice('polars.'.length));
    if (/^numpy\.(loadtxt|genfromtxt|load)$/.test(q)) return numpyRead(index, call, q.slice('numpy.'.length));
    if (q === 'datasets.load_dataset' || /^datasets\.Dataset\.from_(csv|parquet|json|sql)$/.test(q)) return datasetsRead(index, call, q);
  }
  return spark ? sparkRead(index, call) : null;
}

function pathArg(call: CallSite, keywords: string[]): Node | null {
  for (const k of keywords) {
    const v = call.keywords.get(k);
    if (v) return v;
  }
  return call.positional[0] ?? null;
}

function declares(call: CallSite, typeKeys: string[], columnKeys: string[]): DataRead['declares'] {
  const types = typeKeys.find((k) => call.keywords.has(k) && call.keywords.get(k)!.text !== 'None') ?? null;
  const columns = columnKeys.find((k) => call.keywords.has(k) && call.keywords.get(k)!.text !== 'None') ?? null;
  return { types, columns };
}

function pandasRead(index: ProgramIndex, call: CallSite, family: ReaderFamily, method: string): DataRead | null {
  const pathNode = pathArg(call, ['filepath_or_buffer', 'path', 'path_or_buf', 'io', 'urlpath', 'path_or_paths', 'sql', 'table_name', 'query']);
  const path = stringValue(index, pathNode);
  let format = formatOf(method, path?.value);
  if (method === 'read_json' && (call.keywords.get('lines')?.text === 'True')) format = 'jsonl';
  if ((format === 'json' || format === 'jsonl') && path && CONFIG_NAME.test(basename(path.value))) return null;
  const options: ReadOptions = {};
  const sep = stringValue(index, call.keywords.get('sep') ?? call.keywords.get('delimiter'));
  if (sep && !sep.partial) options.sep = sep.value;
  else if (method === 'read_table') options.sep = '\t';
  const usecols = stringList(index, call.keywords.get('usecols') ?? call.keywords.get('columns'));
  if (usecols) options.usecols = usecols;
  const parseDates = stringList(index, call.keywords.get('parse_dates'));
  if (parseDates) options.parseDates = parseDates;
  const dtype = dictEntries(index, call.keywords.get('dtype'));
  if (dtype) options.dtype = Object.fromEntries(dtype.map((e) => [e.key, e.value.text]));
  const indexCol = stringValue(index, call.keywords.get('index_col'));
  if (indexCol && !indexCol.partial) options.indexCol = indexCol.value;
  const names = stringList(index, call.keywords.get('names'));
  if (names) options.names = names;
  if (call.keywords.get('header')?.text === 'None') options.noHeader = true;
  if (format === 'jsonl') options.jsonLines = true;
  // a dtype mapping is a declaration of types; a single dtype for every column (`dtype=str`) is not
  const dtypeNode = call.keywords.get('dtype');
  const typed = dtypeNode && (dtypeNode.type === 'dictionary' || dtype) ? 'dtype' : null;
  return {
    call,
    family,
    label: call.callee ?? method,
    format,
    pathNode,
    path,
    declares: { types: typed, columns: declares(call, [], ['usecols', 'columns']).columns },
    options,
  };
}

function polarsRead(index: ProgramIndex, call: CallSite, method: string): DataRead | null {
  const pathNode = pathArg(call, ['source', 'path', 'query', 'uri', 'file']);
  const path = stringValue(index, pathNode);
  const format = formatOf(method, path?.value);
  if (format === 'json' && path && CONFIG_NAME.test(basename(path.value))) return null;
  const options: ReadOptions = {};
  const sep = stringValue(index, call.keywords.get('separator'));
  if (sep && !sep.partial) options.sep = sep.value;
  const cols = stringList(index, call.keywords.get('columns'));
  if (cols) options.usecols = cols;
  const schema = dictEntries(index, call.keywords.get('schema') ?? call.keywords.get('schema_overrides') ?? call.keywords.get('dtypes'));
  if (schema) options.dtype = Object.fromEntries(schema.map((e) => [e.key, e.value.text]));
  if (call.keywords.get('has_header')?.text === 'False') options.noHeader = true;
  if (format === 'jsonl') options.jsonLines = true;
  return {
    call,
    family: 'polars',
    label: call.callee ?? method,
    format,
    pathNode,
    path,
    declares: declares(call, ['schema', 'schema_overrides', 'dtypes'], ['columns']),
    options,
  };
}

function numpyRead(index: ProgramIndex, call: CallSite, method: string): DataRead | null {
  const pathNode = pathArg(call, ['fname', 'file']);
  const path = stringValue(index, pathNode);
  if (method === 'load') {
    // arrays of weights or embeddings are not tables: only files named like data are reads
    if (!path || !/\.(npy|npz)$/i.test(path.value) || !NUMPY_DATA_NAME.test(basename(path.value).replace(/\.(npy|npz)$/i, ''))) return null;
  } else if (path && CONFIG_NAME.test(basename(path.value))) return null;
  return {
    call,
    family: 'numpy',
    label: call.callee ?? method,
    format: method === 'load' ? 'npy' : path ? formatFromPath(path.value) : 'csv',
    pathNode,
    path,
    declares: declares(call, ['dtype'], ['usecols']),
    options: {},
  };
}

function datasetsRead(index: ProgramIndex, call: CallSite, q: string): DataRead | null {
  const first = call.positional[0] ?? call.keywords.get('path') ?? call.keywords.get('path_or_paths') ?? null;
  const firstValue = stringValue(index, first);
  const dataFiles = call.keywords.get('data_files');
  let tabular = false;
  let pathNode: Node | null = first;
  let path: StringValue | null = firstValue;
  if (q !== 'datasets.load_dataset') tabular = true;
  else if (firstValue && TABULAR_BUILDERS.has(firstValue.value)) {
    tabular = true;
    if (dataFiles) {
      pathNode = dataFiles;
      path = stringValue(index, dataFiles) ?? firstOf(index, dataFiles);
    } else path = null;
  } else if (firstValue && /^(\.{0,2}\/|[A-Za-z]:)|\//.test(firstValue.value) && TABULAR_EXT.test(firstValue.value)) tabular = true;
  if (!tabular) return null; // a dataset from the Hub comes with its declared features
  const format = path ? formatFromPath(path.value) : firstValue && TABULAR_BUILDERS.has(firstValue.value) ? (firstValue.value as DataFormat) : 'other';
  return {
    call,
    family: 'datasets',
    label: call.callee ?? 'load_dataset',
    format,
    pathNode,
    path,
    declares: declares(call, ['features'], []),
    options: {},
  };
}

function firstOf(index: ProgramIndex, node: Node): StringValue | null {
  if (node.type === 'list' || node.type === 'tuple') return stringValue(index, node.namedChild(0));
  if (node.type === 'dictionary') return stringValue(index, node.namedChild(0)?.childForFieldName('value'));
  return null;
}

/** The methods of an attribute chain from its root: `spark.read.format("x").load(p)` → root spark, [read, format, load]. */
export function callChain(node: Node): { root: Node | null; links: { name: string; call: Node | null }[] } {
  const links: { name: string; call: Node | null }[] = [];
  let cur: Node | null = node;
  while (cur) {
    if (cur.type === 'call') {
      const fn: Node | null = cur.childForFieldName('function');
      if (fn?.type === 'attribute') {
        links.unshift({ name: fn.childForFieldName('attribute')?.text ?? '', call: cur });
        cur = fn.childForFieldName('object');
      } else {
        if (fn?.type === 'identifier') links.unshift({ name: fn.text, call: cur });
        return { root: fn?.type === 'identifier' ? null : fn, links };
      }
    } else if (cur.type === 'attribute') {
      links.unshift({ name: cur.childForFieldName('attribute')?.text ?? '', call: null });
      cur = cur.childForFieldName('object');
    } else return { root: cur, links };
  }
  return { root: null, links };
}

/**
 * False when the call cannot have a chain root sparkRead accepts, told without walking the chain:
 * a bare name `f(…)` has no root; a plain attribute chain's root is the callee's first name; and
 * without Spark imported the root must be named like spark, and it is part of the callee's text.
 */
function mayBeSparkRoot(call: CallSite, usesSpark: boolean): boolean {
  const callee = call.callee;
  if (callee !== null) return callee.includes('.') && (usesSpark || /spark/i.test(callee));
  return usesSpark || /spark/i.test(call.node.childForFieldName('function')?.text ?? '');
}

function sparkRead(index: ProgramIndex, call: CallSite): DataRead | null {
  if (!call.method) return null;
  const usesSpark = usesSparkModules(index.program);
  if (!mayBeSparkRoot(call, usesSpark)) return null;
  const chain = callChain(call.node);
  const rootName = chain.root?.type === 'identifier' ? chain.root.text : chain.root ? dottedName(chain.root) : null;
  if (!rootName) return null;
  const sessionLike = /spark|session|^ss$/i.test(rootName);
  if (!usesSpark && !/spark/i.test(rootName)) return null;
  const names = chain.links.map((l) => l.name);
  const last = names[names.length - 1];
  const viaReader = names[0] === 'read' || names[0] === 'readStream';
  let format: DataFormat;
  let pathNode: Node | null = null;
  let path: StringValue | null = null;
  if (viaReader && SPARK_READ_METHODS.has(last) && names.length >= 2) {
    const formatCall = chain.links.find((l) => l.name === 'format')?.call;
    const fmt = formatCall ? stringValue(index, index.callAt(formatCall)?.positional[0]) : null;
    pathNode = pathArg(call, ['path', 'paths', 'tableName', 'url']);
    path = stringValue(index, pathNode);
    format = last === 'load' ? (fmt ? (formatOf(fmt.value, path?.value) ?? 'other') : path ? formatFromPath(path.value) : 'other') : last === 'table' ? 'table' : formatOf(last, path?.value);
    if (fmt && /^(text|binaryFile|image|libsvm)$/.test(fmt.value)) return null;
    if (format === 'json' && path && CONFIG_NAME.test(basename(path.value))) return null;
  } else if (sessionLike && names.length === 1 && last === 'table' && usesSpark) {
    pathNode = call.positional[0] ?? call.keywords.get('tableName') ?? null;
    path = stringValue(index, pathNode);
    format = 'table';
  } else if (sessionLike && names.length === 1 && last === 'sql' && usesSpark) {
    pathNode = call.positional[0] ?? call.keywords.get('sqlQuery') ?? null;
    path = stringValue(index, pathNode);
    // DDL and DML are not reads; an unknown query is not judged
    if (!path || !/^\s*(\(\s*)*(select|with)\b/i.test(path.value)) return null;
    format = 'sql';
  } else return null;
  const schemaLink = chain.links.find((l) => l.name === 'schema' && l.call);
  const typed = schemaLink || call.keywords.has('schema') ? 'schema' : null;
  return {
    call,
    family: 'pyspark',
    label: `${rootName}.${chain.links.map((l, i) => (l.call && i < chain.links.length - 1 ? `${l.name}(…)` : l.name)).join('.')}`,
    format,
    pathNode,
    path,
    declares: { types: typed, columns: null },
    options: {},
  };
}

export function basename(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}
