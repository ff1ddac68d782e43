import type { Node } from '../documents/python/syntax-tree';
import type { CallSite } from '../documents/python/program';
import { dottedName } from '../documents/python/syntax';
import type { FunctionInfo, ProgramIndex } from './python-index';

/**
 * What counts as validating a value, library by library. A value "reaches a validation" when it
 * flows into one of these calls (as an argument, a `**splat`, or the receiver of `expect_*`):
 *
 * - pandera: `schema.validate(df)`, `Model.validate(df)`, `schema(df)`, `df.pipe(schema.validate)`,
 *   functions decorated with `@pa.check_types`, `@pa.check_input`, `@pa.check_output`, `@pa.check_io`;
 * - Great Expectations: `gx.from_pandas(df)`, `PandasDataset(df)`, `RuntimeBatchRequest(... df ...)`,
 *   `batch_definition.get_batch(batch_parameters={"dataframe": df})`, `context.get_validator(...)`,
 *   `checkpoint.run(...)`, `context.run_checkpoint(...)`, any `expect_*` on the frame;
 * - pydantic: `Model(**row)`, `Model.model_validate(row)`, `Model.parse_obj(row)`,
 *   `TypeAdapter(...).validate_python(records)`, `parse_obj_as(...)`, per row in a comprehension,
 *   a loop or `df.apply(...)`;
 * - Soda: `scan.add_pandas_dataframe(..., df)` (and the Dask/Spark variants);
 * - Deepchecks, Pointblank, TensorFlow Data Validation, pandas_schema, PyDeequ calls that take the frame;
 * - datacontract-cli: `DataContract(...).test()` anywhere in the program covers its reads;
 * - jsonschema, cerberus, marshmallow (`schema.load(x)`), for serving inputs;
 * - hand-written structural checks: `assert`/`if … raise` on `df.columns`, `df.dtypes`, `df.shape`, `df.schema`;
 * - any function named in mlready.yaml `allow.validation` (qualified `pkg.mod.fn` or bare `fn`), and
 *   project helpers whose name says they validate (`validate_customers`, `check_schema`, `run_validation`).
 */

export interface ValidationOptions {
  allow: string[];
  /** Serving inputs also accept marshmallow `.load` and validating dataclasses. */
  serving?: boolean;
}

export const VALIDATE_METHODS = new Set([
  'validate', 'validate_python', 'validate_json', 'validate_strings', 'model_validate', 'model_validate_json', 'model_validate_strings',
  'parse_obj', 'parse_raw', 'parse_obj_as', 'validate_dataframe', 'validate_df',
]);
/** Project helpers named for what they do: `validate_customers(df)`, `run_validation(df)`, `check_schema(df)`, `enforce_contract(df)`. */
const VALIDATE_NAME = /^_?validate_\w+$|^\w+_validat(e|ion)$|^(check|enforce|assert|ensure|verify)_(schema|contract|columns|dtypes|frame|df|data|dataframe|input|inputs|payload|request)\w*$/;
/** Libraries whose calls taking the frame are checks: Great Expectations, Deepchecks, Pointblank, TFDV, pandas_schema. */
const VALIDATION_LIBRARIES = /^(great_expectations|deepchecks|pointblank|tensorflow_data_validation|pandas_schema|pydeequ)\b/;
const GE_METHODS = new Set(['from_pandas', 'from_spark', 'get_batch', 'get_validator', 'run_checkpoint', 'RuntimeBatchRequest', 'PandasDataset', 'SparkDFDataset', 'build_batch_request', 'add_batch']);
const SODA_METHODS = new Set(['add_pandas_dataframe', 'add_dask_dataframe', 'add_spark_dataframe', 'add_polars_dataframe', 'add_duckdb_connection']);
const PANDERA_DECORATORS = /^pandera(\.[a-z_.]+)?\.(check_types|check_input|check_output|check_io)$/;
export const STRUCTURE_ATTRS = new Set(['columns', 'dtypes', 'dtype', 'shape', 'schema', 'ndim']);

export function importsGreatExpectations(index: ProgramIndex): boolean {
  return index.program.imports.imports('great_expectations');
}

export function importsSoda(index: ProgramIndex): boolean {
  return index.program.imports.imports('soda') || index.program.imports.imports('soda.scan');
}

export function matchesAllowed(call: CallSite, allow: string[]): boolean {
  if (!allow.length) return false;
  for (const entry of allow) {
    if (!entry) continue;
    // a function (`pkg.checks.validate_frame`), or a whole module of them (`pkg.checks`)
    if (call.qualified && (call.qualified === entry || call.qualified.endsWith(`.${entry}`) || call.qualified.startsWith(`${entry}.`))) return true;
    if (call.callee === entry) return true;
    if (!entry.includes('.') && call.method === entry) return true;
  }
  return false;
}

/** A pandera decorator (or an allowed validation decorator) on a function. */
export function validationDecorators(fn: FunctionInfo, allow: string[]): { input: boolean; output: boolean } {
  let input = false;
  let output = false;
  for (const d of fn.decorators) {
    const q = d.qualified ?? d.dotted ?? '';
    const m = PANDERA_DECORATORS.exec(q);
    if (m) {
      if (m[2] === 'check_types' || m[2] === 'check_io') input = output = true;
      else if (m[2] === 'check_input') input = true;
      else output = true;
      continue;
    }
    if (allow.some((a) => q === a || q.endsWith(`.${a}`) || d.dotted === a)) input = output = true;
  }
  return { input, output };
}

/** True for local classes that validate their fields on construction: pydantic models (and validating dataclasses for serving). */
export function isValidatingClass(index: ProgramIndex, name: string | null, serving: boolean, depth = 0): boolean {
  if (!name || depth > 4) return false;
  const bases = index.classBases(name);
  if (bases) {
    for (const b of bases) {
      if (/^(pydantic(\.v1)?\.(BaseModel|RootModel)|sqlmodel\.SQLModel|pydantic_settings\.BaseSettings)$/.test(b)) return true;
      if (isValidatingClass(index, b, serving, depth + 1)) return true;
    }
    const cls = index.classNode(name);
    if (cls) {
      const decorated = cls.node.parent?.type === 'decorated_definition' ? cls.node.parent : null;
      for (const d of decorated?.namedChildren ?? []) {
        if (d?.type !== 'decorator') continue;
        const expr = d.namedChild(0);
        const dotted = dottedName(expr?.type === 'call' ? expr.childForFieldName('function') : expr);
        const q = dotted ? (index.program.imports.resolve(dotted) ?? dotted) : '';
        if (/^pydantic\.dataclasses\.dataclass$/.test(q)) return true;
        if (serving && /^(dataclasses\.dataclass|attr\.s|attrs\.define|attr\.define)$/.test(q)) {
          // a dataclass validates only what __post_init__ checks
          if (cls.node.childForFieldName('body')?.namedChildren.some((c) => c?.type === 'function_definition' && c.childForFieldName('name')?.text === '__post_init__')) return true;
          if (/^(attr|attrs)\./.test(q) && /validator/.test(cls.node.text)) return true;
        }
      }
    }
    return false;
  }
  // an imported class: a model when the program works with pydantic and the name reads like a class
  const binding = index.program.imports.binding(name);
  if (binding && /^[A-Z]/.test(name) && !/^(pandas|polars|numpy|pyspark|dask|datetime|collections|typing)\b/.test(binding.qualified)) {
    return index.program.imports.imports('pydantic') || /(^|\.)(schemas?|models?|contracts?|validation)(\.|$)/.test(binding.module);
  }
  return false;
}

/**
 * Whether a call validates the value flowing into it. `via` says how the value enters: as an
 * argument (positional or keyword, possibly nested in a list or dict), as `**value`, or as the
 * receiver of a method.
 */
export function isValidationCall(index: ProgramIndex, call: CallSite, via: 'argument' | 'splat' | 'receiver', options: ValidationOptions): boolean {
  const m = call.method ?? '';
  const q = call.qualified ?? '';
  if (via === 'receiver') {
    if (m.startsWith('expect_')) return true;
    if ((m === 'pipe' || m === 'apply' || m === 'map' || m === 'transform' || m === 'map_rows' || m === 'map_partitions') && call.positional.some((a) => isValidatorReference(index, a, options))) return true;
    if (m === 'createOrReplaceTempView' && importsSoda(index)) return true;
    return false;
  }
  if (VALIDATE_METHODS.has(m) || VALIDATE_NAME.test(m)) return true;
  if (matchesAllowed(call, options.allow)) return true;
  if (VALIDATION_LIBRARIES.test(q)) return true;
  if (importsGreatExpectations(index) && (GE_METHODS.has(m) || (m === 'run' && (call.keywords.has('batch_parameters') || call.keywords.has('batch_request'))))) return true;
  if (SODA_METHODS.has(m)) return true;
  if (/^(pydantic\.(parse_obj_as|TypeAdapter)|jsonschema\.validate|fastjsonschema\..+)$/.test(q)) return true;
  const callee = call.callee;
  if (callee && index.panderaSchemas.has(callee)) return true; // schema(df) is schema.validate(df)
  if (callee && !callee.includes('.')) {
    // a local model validates whatever reaches its fields; an imported class only in the `Model(**row)` idiom
    const local = index.classBases(callee) !== undefined;
    if ((local || via === 'splat') && isValidatingClass(index, callee, !!options.serving)) return true;
  }
  if (options.serving && (m === 'load' || m === 'loads') && call.receiver && /schema/i.test(call.receiver.text)) return true;
  return false;
}

/** `schema.validate`, `Model.model_validate`, `Row`, a pandera schema name, a lambda that validates its argument. */
export function isValidatorReference(index: ProgramIndex, node: Node, options: ValidationOptions): boolean {
  if (node.type === 'attribute') {
    const attr = node.childForFieldName('attribute')?.text ?? '';
    if (VALIDATE_METHODS.has(attr)) return true;
    const dotted = dottedName(node);
    if (dotted && options.allow.some((a) => dotted === a || (index.program.imports.resolve(dotted) ?? '').endsWith(a))) return true;
    return false;
  }
  if (node.type === 'identifier') {
    if (index.panderaSchemas.has(node.text)) return true;
    if (isValidatingClass(index, node.text, !!options.serving)) return true;
    if (options.allow.includes(node.text)) return true;
    const q = index.program.imports.resolve(node.text);
    if (q && options.allow.some((a) => q === a || q.endsWith(`.${a}`))) return true;
    return false;
  }
  if (node.type === 'lambda') {
    const params = (node.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => p?.type === 'identifier').map((p) => p.text);
    const body = node.childForFieldName('body');
    if (!body || !params.length) return false;
    for (const c of body.type === 'call' ? [body] : (body.descendantsOfType('call').filter(Boolean) as Node[])) {
      const site = index.callAt(c);
      if (!site) continue;
      const usesParam = c.descendantsOfType('identifier').some((i) => i && params.includes(i.text));
      if (usesParam && (isValidationCall(index, site, 'argument', options) || (site.hasSplat && isValidationCall(index, site, 'splat', options)))) return true;
    }
  }
  return false;
}
