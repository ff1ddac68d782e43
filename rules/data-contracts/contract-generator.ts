import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import { stringify } from 'yaml';
import { pythonStringLiteral } from '../documents/python/syntax';

/**
 * Contracts written from the data itself. Pure: it takes a sample (the first bytes of a CSV, TSV
 * or JSON-lines file, or random access to a Parquet file) and a dataset name, and returns the text
 * of a pandera schema module and of an Open Data Contract Standard (ODCS v3.1) YAML. It reads no
 * file: adapters hand it bytes through `resolveFix` (contract-fix.ts).
 *
 * Bounded by design: text samples are cut at `maxBytes` (default 1 MiB) and `maxRows` (default
 * 1,000 rows after the header), the last partial line dropped; Parquet is read through its footer
 * metadata (types, null counts, min/max statistics) plus at most `maxRows` rows of the first row
 * group, and only when that row group is small enough to fetch.
 *
 * Inference follows what the reader will produce, so that the schema accepts the data it was
 * generated from: pandas reads an integer column with missing values as float64, leaves dates as
 * strings unless `parse_dates=` names them, and recognises the usual NA markers.
 */

export type ColumnKind = 'integer' | 'number' | 'boolean' | 'string' | 'date' | 'datetime' | 'object' | 'unknown';

export interface InferredColumn {
  name: string;
  kind: ColumnKind;
  /** Parquet physical/logical type (`INT64`, `STRING`, `TIMESTAMP(MICROS,UTC)`), when known. */
  physical?: string;
  /** Exact dtype for the backend, when the source fixes it (Parquet, an explicit `dtype=`). */
  pandasDtype?: string | null;
  polarsDtype?: string | null;
  nullable: boolean;
  min?: number;
  max?: number;
  /** A small set of values that repeat in the sample (plan, country, label). */
  categories?: (string | number)[];
  /** How many non-null values the sample held for this column. */
  seen: number;
}

export interface InferredTable {
  columns: InferredColumn[];
  rowsSampled: number;
  /** The sample was cut (by bytes or rows) before the end of the file. */
  truncated: boolean;
  totalRows?: number;
  /** True when the columns come from the code rather than from data (no types, no checks). */
  stub?: boolean;
}

export interface SampleOptions {
  maxRows?: number;
  maxBytes?: number;
  /** Field separator; defaults to `,` (`\t` for TSV). */
  sep?: string;
  /** Only these columns (the read's `usecols=`/`columns=`), in file order. */
  usecols?: string[];
  /** Column names when the file has no header line. */
  names?: string[];
  noHeader?: boolean;
  /** A column the reader moves to the index (`index_col=`). */
  indexCol?: string;
  /** Columns the reader parses as datetimes (`parse_dates=`). */
  parseDates?: string[];
  /** Types the read declares (`dtype=`), as Python source text: `"str"`, `str`, `"category"`. */
  dtype?: Record<string, string>;
  /** Most distinct values for a category check. */
  maxCategories?: number;
}

export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** The first row group is fetched for row values only when it is at most this large (compressed). */
export const MAX_ROW_GROUP_BYTES = 8 * 1024 * 1024;

const NA = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity)$/i;
const BOOL = /^(true|false|TRUE|FALSE|True|False)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

// ---------------------------------------------------------------- text samples

function decodeSample(sample: Uint8Array | string, maxBytes: number): { text: string; cut: boolean } {
  let cut = false;
  let text: string;
  if (typeof sample === 'string') {
    text = sample;
    if (text.length > maxBytes) {
      text = text.slice(0, maxBytes);
      cut = true;
    }
  } else {
    const bytes = sample.length > maxBytes ? sample.subarray(0, maxBytes) : sample;
    cut = sample.length > maxBytes;
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, cut };
}

/** Rows of a delimited text (RFC 4180 quoting), at most `maxRows + 1` including the header. */
export function parseDelimited(text: string, sep: string, maxRows: number, cut: boolean): { rows: string[][]; complete: boolean } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (text.startsWith(sep, i)) {
      row.push(field);
      field = '';
      i += sep.length;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      if (rows.length > maxRows) return { rows: rows.slice(0, maxRows + 1), complete: false };
      continue;
    }
    field += c;
    i++;
  }
  // the last line is complete only when the sample is the whole file
  if (!cut && (field !== '' || row.length)) {
    row.push(field);
    rows.push(row);
  }
  return { rows, complete: !cut };
}

export function inferDelimited(sample: Uint8Array | string, options: SampleOptions = {}): InferredTable | null {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const { text, cut } = decodeSample(sample, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const sep = options.sep && options.sep !== '\\s+' ? options.sep : ',';
  const { rows, complete } = parseDelimited(text, sep, maxRows + (options.noHeader ? 0 : 1), cut);
  if (!rows.length) return null;
  let header: string[];
  let body: string[][];
  if (options.noHeader) {
    if (!options.names?.length) return null; // columns would be numbered: nothing stable to write
    header = options.names;
    body = rows;
  } else {
    header = options.names?.length ? options.names : rows[0].map((h) => h.trim());
    body = rows.slice(1);
  }
  if (!header.length || header.every((h) => !h)) return null;
  body = body.slice(0, maxRows);
  const columns: InferredColumn[] = [];
  header.forEach((name, i) => {
    if (!name || keepColumn(name, options) === false) return;
    const values = body.map((r) => r[i] ?? '');
    columns.push(inferTextColumn(name, values, options));
  });
  return { columns, rowsSampled: body.length, truncated: !complete || rows.length > maxRows };
}

function keepColumn(name: string, options: SampleOptions): boolean {
  if (options.indexCol !== undefined && name === options.indexCol) return false;
  if (options.usecols && !options.usecols.includes(name)) return false;
  return true;
}

function inferTextColumn(name: string, raw: string[], options: SampleOptions): InferredColumn {
  const values = raw.filter((v) => !NA.has(v.trim()));
  const nullable = values.length < raw.length;
  const col: InferredColumn = { name, kind: 'unknown', nullable, seen: values.length };
  const declared = options.dtype?.[name];
  if (values.length === 0) col.nullable = true;
  else if (values.every((v) => INT.test(v.trim()) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER)) col.kind = 'integer';
  else if (values.every((v) => FLOAT.test(v.trim()))) col.kind = 'number';
  else if (values.every((v) => BOOL.test(v.trim()))) col.kind = 'boolean';
  else if (values.every((v) => DATE.test(v.trim()))) col.kind = 'date';
  else if (values.every((v) => DATETIME.test(v.trim()))) col.kind = 'datetime';
  else col.kind = 'string';
  if (col.kind === 'integer' || col.kind === 'number') {
    const nums = values.map((v) => Number(v.trim())).filter((x) => Number.isFinite(x));
    if (nums.length) {
      col.min = Math.min(...nums);
      col.max = Math.max(...nums);
    }
  }
  col.categories = categoriesOf(col.kind, values.map((v) => (col.kind === 'integer' ? Number(v.trim()) : v)), options.maxCategories);
  const parsedAsDate = options.parseDates?.includes(name);
  // pandas: integers with missing values become float64; dates stay strings unless parsed
  col.pandasDtype = pandasDtypeFor(col, !!parsedAsDate);
  col.polarsDtype = polarsDtypeFor(col);
  if (declared) {
    const d = declaredDtype(declared);
    if (d !== undefined) {
      col.pandasDtype = d;
      if (d !== '"int64"' && d !== 'int' && d !== '"float64"' && d !== 'float') col.categories = undefined;
    }
  }
  return col;
}

function categoriesOf(kind: ColumnKind, values: (string | number)[], max = 10): (string | number)[] | undefined {
  if (kind === 'integer') {
    const set = new Set(values as number[]);
    if (set.size <= 2 && [...set].every((v) => v === 0 || v === 1) && values.length >= 2) return [0, 1];
    return undefined;
  }
  if (kind !== 'string') return undefined;
  const counts = new Map<string, number>();
  for (const v of values as string[]) counts.set(v, (counts.get(v) ?? 0) + 1);
  // a category set must repeat: each value seen at least twice on average, and short labels
  if (counts.size === 0 || counts.size > max || values.length < 2 * counts.size || values.length < 4) return undefined;
  if ([...counts.keys()].some((k) => k.length > 40)) return undefined;
  return [...counts.keys()].sort();
}

/** A `dtype=` value the generated module can use as is; undefined when it names something not importable there. */
function declaredDtype(source: string): string | null | undefined {
  const s = source.trim();
  if (/^(str|int|float|bool|object)$/.test(s)) return s;
  if (/^(["'])[A-Za-z0-9_[\], ]+\1$/.test(s)) return `"${s.slice(1, -1)}"`;
  return undefined;
}

function pandasDtypeFor(col: InferredColumn, parsedAsDate: boolean): string | null {
  switch (col.kind) {
    case 'integer':
      return col.nullable ? '"float64"' : '"int64"';
    case 'number':
      return '"float64"';
    case 'boolean':
      return col.nullable ? null : '"bool"';
    case 'date':
    case 'datetime':
      return parsedAsDate ? '"datetime64[ns]"' : 'str';
    case 'string':
      return 'str';
    default:
      return null;
  }
}

function polarsDtypeFor(col: InferredColumn): string | null {
  switch (col.kind) {
    case 'integer':
      return 'pl.Int64';
    case 'number':
      return 'pl.Float64';
    case 'boolean':
      return 'pl.Boolean';
    case 'date':
    case 'datetime':
    case 'string':
      return 'pl.String';
    default:
      return null;
  }
}

export function inferJsonLines(sample: Uint8Array | string, options: SampleOptions = {}): InferredTable | null {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const { text, cut } = decodeSample(sample, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const lines = text.split(/\r?\n/);
  if (cut) lines.pop();
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    if (records.length >= maxRows) break;
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) records.push(v as Record<string, unknown>);
    } catch {
      // a malformed line says nothing about the others
    }
  }
  if (!records.length) return null;
  const names: string[] = [];
  for (const r of records) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  const columns: InferredColumn[] = [];
  for (const name of names) {
    if (!keepColumn(name, options)) continue;
    const raw = records.map((r) => r[name]);
    const present = raw.filter((v) => v !== null && v !== undefined);
    const col: InferredColumn = { name, kind: 'unknown', nullable: present.length < raw.length, seen: present.length };
    if (!present.length) col.nullable = true;
    else if (present.every((v) => typeof v === 'number' && Number.isInteger(v))) col.kind = 'integer';
    else if (present.every((v) => typeof v === 'number')) col.kind = 'number';
    else if (present.every((v) => typeof v === 'boolean')) col.kind = 'boolean';
    else if (present.every((v) => typeof v === 'string')) col.kind = (present as string[]).every((v) => DATE.test(v)) ? 'date' : (present as string[]).every((v) => DATETIME.test(v)) ? 'datetime' : 'string';
    else col.kind = 'object';
    if (col.kind === 'integer' || col.kind === 'number') {
      col.min = Math.min(...(present as number[]));
      col.max = Math.max(...(present as number[]));
    }
    col.categories = categoriesOf(col.kind, present as (string | number)[], options.maxCategories);
    col.pandasDtype = pandasDtypeFor(col, !!options.parseDates?.includes(name));
    col.polarsDtype = polarsDtypeFor(col);
    columns.push(col);
  }
  return { columns, rowsSampled: records.length, truncated: cut || records.length >= maxRows };
}

// ---------------------------------------------------------------- Parquet

/** Random access to a Parquet file (hyparquet's AsyncBuffer), or its bytes. */
export type ParquetSource = AsyncBuffer | ArrayBuffer | Uint8Array;

function asAsyncBuffer(source: ParquetSource): AsyncBuffer {
  if (source instanceof Uint8Array) {
    const copy = source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer;
    return copy;
  }
  return source;
}

export async function inferParquet(source: ParquetSource, options: SampleOptions = {}): Promise<InferredTable | null> {
  const file = asAsyncBuffer(source);
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let metadata: FileMetaData;
  try {
    // the footer only: 64 KiB first, hyparquet fetches the rest of a larger footer itself
    metadata = await parquetMetadataAsync(file, { initialFetchSize: 1 << 16 });
  } catch {
    return null;
  }
  const tree = parquetSchema(metadata);
  const totalRows = Number(metadata.num_rows);
  const firstGroup = metadata.row_groups[0];
  let rows: Record<string, unknown>[] = [];
  const groupBytes = firstGroup ? Number(firstGroup.total_compressed_size ?? firstGroup.total_byte_size) : 0;
  if (firstGroup && groupBytes <= MAX_ROW_GROUP_BYTES) {
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd: Math.min(maxRows, Number(firstGroup.num_rows)) });
    } catch {
      rows = []; // a codec hyparquet cannot decode: metadata alone still gives names and types
    }
  }
  const columns: InferredColumn[] = [];
  tree.children.forEach((child: SchemaTree, i: number) => {
    const name = child.element.name;
    if (!keepColumn(name, options)) return;
    const stats = columnStats(metadata, i, child);
    const values = rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined);
    const col: InferredColumn = { name, kind: 'unknown', nullable: false, seen: values.length };
    const t = parquetTypes(child);
    col.kind = t.kind;
    col.physical = t.physical;
    col.pandasDtype = t.pandas;
    col.polarsDtype = t.polars;
    const sampledNulls = rows.length > values.length;
    col.nullable = stats.nullCount !== undefined ? stats.nullCount > 0 || sampledNulls : child.element.repetition_type !== 'REQUIRED';
    if ((col.kind === 'integer' || col.kind === 'number') && col.nullable && t.kind === 'integer') col.pandasDtype = '"float64"';
    if (col.kind === 'boolean' && col.nullable) col.pandasDtype = null;
    if (col.kind === 'integer' || col.kind === 'number') {
      const nums = values.map((v) => Number(v)).filter((x) => Number.isFinite(x));
      const lo = stats.min ?? (nums.length ? Math.min(...nums) : undefined);
      const hi = stats.max ?? (nums.length ? Math.max(...nums) : undefined);
      if (lo !== undefined) col.min = lo;
      if (hi !== undefined) col.max = hi;
    }
    const catValues = values.map((v) => (typeof v === 'bigint' ? Number(v) : v)).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    col.categories = col.kind === 'integer' && col.min !== undefined && (col.min < 0 || (col.max ?? 0) > 1) ? undefined : categoriesOf(col.kind, catValues, options.maxCategories);
    columns.push(col);
  });
  if (!columns.length) return null;
  return { columns, rowsSampled: rows.length, truncated: rows.length < totalRows, totalRows };
}

function columnStats(metadata: FileMetaData, index: number, child: SchemaTree): { nullCount?: number; min?: number; max?: number } {
  if (child.children.length) return {};
  let nullCount: number | undefined = 0;
  let min: number | undefined;
  let max: number | undefined;
  let allMin = true;
  let allMax = true;
  for (const group of metadata.row_groups) {
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.join('.') === child.path.join('.')) ?? group.columns[index];
    const s = chunk?.meta_data?.statistics;
    if (!s || s.null_count === undefined) nullCount = undefined;
    else if (nullCount !== undefined) nullCount += Number(s.null_count);
    const lo = toNumber(s?.min_value ?? s?.min);
    const hi = toNumber(s?.max_value ?? s?.max);
    if (lo === undefined) allMin = false;
    else min = min === undefined ? lo : Math.min(min, lo);
    if (hi === undefined) allMax = false;
    else max = max === undefined ? hi : Math.max(max, hi);
  }
  return { nullCount, min: allMin ? min : undefined, max: allMax ? max : undefined };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function parquetTypes(child: SchemaTree): { kind: ColumnKind; physical: string; pandas: string | null; polars: string | null } {
  const e: SchemaElement = child.element;
  if (child.children.length) return { kind: 'object', physical: e.logical_type?.type ?? e.converted_type ?? 'GROUP', pandas: null, polars: null };
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (lt?.type === 'STRING' || ct === 'UTF8' || lt?.type === 'ENUM' || ct === 'ENUM' || lt?.type === 'JSON' || ct === 'JSON') return { kind: 'string', physical: lt?.type ?? ct ?? 'STRING', pandas: 'str', polars: 'pl.String' };
  if (lt?.type === 'DATE' || ct === 'DATE') return { kind: 'date', physical: 'DATE', pandas: null, polars: 'pl.Date' };
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || e.type === 'INT96') {
    const unit = lt?.type === 'TIMESTAMP' ? lt.unit : ct === 'TIMESTAMP_MILLIS' ? 'MILLIS' : ct === 'TIMESTAMP_MICROS' ? 'MICROS' : 'NANOS';
    const utc = lt?.type === 'TIMESTAMP' ? lt.isAdjustedToUTC : false;
    const pu = unit === 'MILLIS' ? 'ms' : unit === 'MICROS' ? 'us' : 'ns';
    return {
      kind: 'datetime',
      physical: `TIMESTAMP(${unit}${utc ? ',UTC' : ''})`,
      pandas: utc ? '"datetime64[ns, UTC]"' : '"datetime64[ns]"',
      polars: `pl.Datetime(time_unit="${pu}"${utc ? ', time_zone="UTC"' : ''})`,
    };
  }
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') return { kind: 'number', physical: 'DECIMAL', pandas: null, polars: 'pl.Decimal' };
  if (lt?.type === 'INTEGER') {
    const bits = lt.bitWidth;
    return { kind: 'integer', physical: `${lt.isSigned ? 'INT' : 'UINT'}${bits}`, pandas: `"${lt.isSigned ? 'int' : 'uint'}${bits}"`, polars: `pl.${lt.isSigned ? 'Int' : 'UInt'}${bits}` };
  }
  if (ct && /^(U?INT)_(8|16|32|64)$/.test(ct)) {
    const m = /^(U?INT)_(8|16|32|64)$/.exec(ct)!;
    const signed = m[1] === 'INT';
    return { kind: 'integer', physical: `${m[1]}${m[2]}`, pandas: `"${signed ? 'int' : 'uint'}${m[2]}"`, polars: `pl.${signed ? 'Int' : 'UInt'}${m[2]}` };
  }
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'boolean', physical: 'BOOLEAN', pandas: '"bool"', polars: 'pl.Boolean' };
    case 'INT32':
      return { kind: 'integer', physical: 'INT32', pandas: '"int32"', polars: 'pl.Int32' };
    case 'INT64':
      return { kind: 'integer', physical: 'INT64', pandas: '"int64"', polars: 'pl.Int64' };
    case 'FLOAT':
      return { kind: 'number', physical: 'FLOAT', pandas: '"float32"', polars: 'pl.Float32' };
    case 'DOUBLE':
      return { kind: 'number', physical: 'DOUBLE', pandas: '"float64"', polars: 'pl.Float64' };
    default:
      return { kind: 'object', physical: e.type ?? 'UNKNOWN', pandas: null, polars: null };
  }
}

// ---------------------------------------------------------------- stubs

/** A table from the columns the code uses, when no sample of the data exists. */
export function stubTable(columns: string[]): InferredTable {
  const unique = [...new Set(columns)];
  return { columns: unique.map((name) => ({ name, kind: 'unknown', nullable: true, seen: 0, pandasDtype: null, polarsDtype: null })), rowsSampled: 0, truncated: false, stub: true };
}

// ---------------------------------------------------------------- rendering

export type SchemaBackend = 'pandas' | 'polars';
/** How the project imports pandera for pandas: `import pandera.pandas as pa` (0.24+) or `import pandera as pa`. */
export type PanderaImport = 'pandera.pandas' | 'pandera';

export interface ContractTarget {
  dataset: string;
  /** The schema's name in the module: `CUSTOMERS_SCHEMA`. */
  symbol: string;
  backend: SchemaBackend;
  importStyle?: PanderaImport;
  /** Workspace path of the sample the table was inferred from. */
  samplePath?: string;
  /** File name of the ODCS contract written beside the module, for cross-reference. */
  odcsFile?: string;
  /** Workspace path of the code that reads the dataset. */
  readBy?: string;
}

export interface ContractTexts {
  schemaModule: string;
  odcs: string;
}

export function renderContract(table: InferredTable, target: ContractTarget): ContractTexts {
  return { schemaModule: renderPanderaModule(table, target), odcs: renderOdcs(table, target) };
}

function provenance(table: InferredTable, target: ContractTarget): string {
  if (table.stub || !target.samplePath) return 'mlready found no sample of the data, so it lists the columns the code uses';
  const rows = `${table.rowsSampled} row${table.rowsSampled === 1 ? '' : 's'} sampled${table.totalRows !== undefined ? ` of ${table.totalRows}` : table.truncated ? ', the file is longer' : ''}`;
  return `generated by mlready from ${target.samplePath} (${rows})`;
}

export function renderPanderaModule(table: InferredTable, target: ContractTarget): string {
  const polars = target.backend === 'polars';
  const importLine = polars ? 'import pandera.polars as pa\nimport polars as pl' : `import ${target.importStyle ?? 'pandera.pandas'} as pa`;
  const lines: string[] = [];
  lines.push(`"""Data contract for the \`${target.dataset}\` dataset: ${provenance(table, target)}.`);
  lines.push('');
  if (table.stub) {
    lines.push('Fill in each column\'s dtype and checks, or regenerate the contract from a sample of the data.');
  } else {
    lines.push('A sample shows what the data looked like, not everything it may be: review the types and');
    lines.push('checks before relying on them.');
  }
  if (target.odcsFile) lines.push(`The same contract in Open Data Contract Standard form: ${target.odcsFile}.`);
  lines.push('"""');
  lines.push(importLine);
  lines.push('');
  lines.push(`${target.symbol} = pa.DataFrameSchema(`);
  lines.push('    {');
  if (table.stub && table.columns.length) lines.push('        # TODO: the dtype and checks of each column');
  for (const c of table.columns) lines.push(`        ${pythonStringLiteral(c.name)}: ${columnExpr(c, polars, !!table.stub)},`);
  lines.push('    },');
  lines.push(`    strict=${table.stub ? 'False' : 'True'},`);
  lines.push(`    name=${pythonStringLiteral(target.dataset)},`);
  lines.push(')');
  return `${lines.join('\n')}\n`;
}

function columnExpr(c: InferredColumn, polars: boolean, stub: boolean): string {
  const args: string[] = [];
  const dtype = polars ? c.polarsDtype : c.pandasDtype;
  if (dtype) args.push(dtype);
  if (!stub) args.push(...checksOf(c, dtype ?? null));
  if (c.nullable) args.push('nullable=True');
  return `pa.Column(${args.join(', ')})`;
}

function checksOf(c: InferredColumn, dtype: string | null): string[] {
  const checks: string[] = [];
  if (c.categories?.length) {
    const items = c.categories.map((v) => (typeof v === 'number' ? String(v) : pythonStringLiteral(v))).join(', ');
    checks.push(`pa.Check.isin([${items}])`);
  } else if ((c.kind === 'integer' || c.kind === 'number') && c.min !== undefined && c.min >= 0) {
    checks.push('pa.Check.ge(0)');
  }
  const isString = (dtype === 'str' || dtype === 'pl.String') && c.seen > 0;
  if (c.kind === 'date' && isString) checks.push('pa.Check.str_matches(r"^\\d{4}-\\d{2}-\\d{2}$")');
  return checks;
}

const ODCS_LOGICAL: Record<ColumnKind, string | undefined> = {
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  string: 'string',
  date: 'date',
  datetime: 'date',
  object: 'object',
  unknown: undefined,
};

export function renderOdcs(table: InferredTable, target: ContractTarget): string {
  const properties = table.columns.map((c) => {
    const p: Record<string, unknown> = { name: c.name };
    const logical = ODCS_LOGICAL[c.kind];
    if (logical) p.logicalType = logical;
    if (c.physical) p.physicalType = c.physical;
    if (!table.stub) p.required = !c.nullable;
    if (!table.stub && (c.kind === 'integer' || c.kind === 'number') && c.min !== undefined && c.min >= 0 && !c.categories) p.logicalTypeOptions = { minimum: 0 };
    if (!table.stub && c.categories?.length) p.quality = [{ metric: 'invalidValues', arguments: { validValues: c.categories }, mustBe: 0, description: 'Only the values seen in the sample.' }];
    return p;
  });
  const contract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: target.dataset,
    name: target.dataset,
    version: '0.1.0',
    status: 'draft',
    description: {
      purpose: `Columns, types and simple checks of the ${target.dataset} dataset${target.readBy ? `, as read by ${target.readBy}` : ''}.`,
      limitations: table.stub ? 'A stub: the columns the code uses, without types; complete it from the data.' : 'Inferred from a sample; review before relying on it.',
    },
    schema: [
      {
        name: target.dataset,
        logicalType: 'object',
        ...(target.samplePath ? { physicalName: target.samplePath.split('/').pop() } : {}),
        properties,
      },
    ],
  };
  const header = `# Open Data Contract Standard (ODCS v3.1): ${provenance(table, target)}.\n`;
  return header + stringify(contract, { lineWidth: 0 });
}

// ---------------------------------------------------------------- one call

export type SampleFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export type SampleData = { format: 'csv' | 'tsv' | 'jsonl'; bytes: Uint8Array | string } | { format: 'parquet'; source: ParquetSource };

export function sampleFormatOf(path: string): SampleFormat | null {
  const p = path.toLowerCase();
  if (/\.csv$/.test(p)) return 'csv';
  if (/\.(tsv|tab)$/.test(p)) return 'tsv';
  if (/\.(jsonl|ndjson)$/.test(p)) return 'jsonl';
  if (/\.(parquet|pq)$/.test(p)) return 'parquet';
  return null;
}

export async function inferSample(sample: SampleData, options: SampleOptions = {}): Promise<InferredTable | null> {
  switch (sample.format) {
    case 'csv':
      return inferDelimited(sample.bytes, options);
    case 'tsv':
      return inferDelimited(sample.bytes, { ...options, sep: options.sep ?? '\t' });
    case 'jsonl':
      return inferJsonLines(sample.bytes, options);
    case 'parquet':
      return inferParquet(sample.source, options);
  }
}

/** Sample → pandera module + ODCS YAML; null when the sample says nothing usable (empty, unreadable). */
export async function generateContract(sample: SampleData, target: ContractTarget, options: SampleOptions = {}): Promise<ContractTexts | null> {
  const table = await inferSample(sample, options);
  if (!table || !table.columns.length) return null;
  return renderContract(table, target);
}
