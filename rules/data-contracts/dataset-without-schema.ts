import { isAlias, isMap, isScalar, type Node as YNode } from 'yaml';
import type { WorkspaceFacts } from '../core/facts';
import { defineRule } from '../core/rule';
import { yentries, yget, ygetIn, yitems, ystring } from '../documents/yaml-nodes';
import { contractsFor, datasetName, schemasFor, CONTRACT_FILE, SCHEMA_FILE } from './datasets';

/**
 * Pipeline datasets declared without a schema:
 * - Kedro catalog entries of tabular types (pandas, polars, Spark, Dask …) with no `load_args`
 *   dtypes/schema, no `schema:` and no kedro-pandera `metadata.pandera`, when no pandera schema
 *   or data contract in the project names the dataset;
 * - DVC stage outputs that are datasets (tabular files, or folders under a data folder) with no
 *   schema or contract file beside them and no schema or contract naming them.
 */

const TABULAR_TYPE = /^(kedro_datasets\.|kedro\.extras\.datasets\.)?(pandas|polars|spark|dask|ibis|snowflake|databricks|pandas_gbq)\.\w*(CSV|Parquet|Excel|SQLTable|SQLQuery|Feather|HDF|JSON|GBQTable|GBQQuery|Delta|DeltaTable|Generic|Spark|SparkHive|SparkJDBC|Eager|Lazy|Polars|Table|Xml|Iceberg|Snowpark|ManagedTable|DataFrame)\w*(DataSet|Dataset)$/;
const PARTITIONED = /(^|\.)(PartitionedDataset|IncrementalDataset|PartitionedDataSet|IncrementalDataSet)$/;
const TABULAR_EXT = /\.(csv|tsv|parquet|pq|jsonl|ndjson|feather|arrow|orc|avro|xlsx?)(\.(gz|bz2|zip|xz|zst))?$/i;
const DATA_DIR = /(^|\/)(data|datasets?|features?|processed|interim|raw|prepared|tables?)(\/|$)/i;

const KEDRO_CATALOG_PATH = /(^|\/)conf\/[^/]+\/(.*\/)?catalog[^/]*\.ya?ml$/;

function mergeBase(entry: unknown, entries: { key: string; value: YNode | null }[]): unknown {
  const merge = yget(entry, '<<');
  if (!isAlias(merge)) return undefined;
  return entries.find((e) => (e.value as { anchor?: string } | null)?.anchor === merge.source)?.value ?? undefined;
}

function hasSchema(entry: unknown): boolean {
  const load = yget(entry, 'load_args');
  if (yget(load, 'dtype') || yget(load, 'dtypes') || yget(load, 'schema') || yget(load, 'schema_overrides') || yget(load, 'converters')) return true;
  if (yget(entry, 'schema') || ygetIn(entry, ['metadata', 'pandera']) || ygetIn(entry, ['metadata', 'schema'])) return true;
  return false;
}

function covered(facts: WorkspaceFacts, name: string): boolean {
  return schemasFor(facts, name).length > 0 || contractsFor(facts, name).length > 0;
}

export default defineRule({
  code: 'D105',
  name: 'dataset-without-schema',
  category: 'data-contracts',
  severity: 'info',
  // advice about pipeline outputs, not a defect: production does not raise it
  stageSeverity: { production: 'info' },
  appliesTo: ['yaml'],
  docs: {
    summary: 'A pipeline declares a tabular dataset — a Kedro catalog entry, a DVC stage output — with no schema: no dtypes or schema in its definition, no schema file beside it, and no pandera schema or data contract that names it.',
    why:
      'Pipeline datasets are the interfaces between steps and between teams. Without a schema, the only definition of a dataset is whatever the producing step happened to write, so a change there reaches every consumer unannounced. A schema next to the declaration (Kedro `load_args` dtypes or kedro-pandera metadata, a `schema.json`/`*.odcs.yaml` beside a DVC output, or a pandera schema named after the dataset) makes the interface explicit and checkable.',
    example: 'companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv',
    useInstead:
      'companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv\n  load_args:\n    dtype:\n      id: int64\n      company_rating: str\n  metadata:\n    pandera:\n      schema: ${pa.python:spaceflights.schemas.companies}',
    language: 'yaml',
  },
  check(ctx) {
    const yaml = ctx.doc.yaml;
    if (!yaml || yaml.problems.length) return;
    const path = ctx.doc.path;
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    for (const { doc, kind } of yaml.documents) {
      const root = doc.contents as YNode | null;
      if (kind === 'kedro-catalog' || (KEDRO_CATALOG_PATH.test(path) && isMap(root))) {
        const entries = yentries(root);
        for (const e of entries) {
          if (e.key.startsWith('_') || e.key.includes('{') || !isMap(e.value)) continue;
          // `<<: *template`: the template's keys, looked up once (the alias is not expanded)
          const base = mergeBase(e.value, entries);
          const field = (k: string) => yget(e.value, k) ?? (base ? yget(base, k) : undefined);
          let type = ystring(field('type')) ?? '';
          let entry: unknown = e.value;
          if (base && !hasSchema(e.value) && hasSchema(base)) continue;
          if (PARTITIONED.test(type)) {
            const inner = field('dataset');
            type = ystring(inner) ?? ystring(yget(inner, 'type')) ?? '';
            if (isMap(inner)) entry = inner;
          }
          if (!TABULAR_TYPE.test(type) || hasSchema(entry)) continue;
          const r = e.keyNode.range ?? [0, 0];
          const name = e.key;
          ctx.report({
            unit: yaml.unit,
            start: r[0],
            end: r[1],
            message: `Catalog dataset \`${name}\` (${type}) has no schema: no \`load_args\` dtypes, no kedro-pandera metadata, and no pandera schema or data contract names it. Consumers get whatever the producing node wrote.`,
            when: (facts) => !covered(facts, name),
          });
        }
      } else if (kind === 'dvc') {
        for (const stage of yentries(yget(root, 'stages'))) {
          const wdir = ystring(yget(stage.value, 'wdir'));
          const base = wdir && wdir !== '.' ? `${dir}${wdir.replace(/\/+$/, '')}/` : dir;
          for (const item of yitems(yget(stage.value, 'outs'))) {
            const scalar = isScalar(item) ? item : isMap(item) ? item.items[0]?.key : null;
            const out = isScalar(scalar) ? String(scalar.value) : null;
            if (!out || !scalar) continue;
            const full = normalize(base + out.replace(/\/+$/, ''));
            const folder = !/\.[A-Za-z0-9]{1,8}$/.test(out) && DATA_DIR.test(full);
            if (!TABULAR_EXT.test(out) && !folder) continue;
            const dataset = datasetName(out) ?? (full.split('/').pop() || out);
            const r = (scalar as { range?: [number, number, number] }).range ?? [0, 0, 0];
            ctx.report({
              unit: yaml.unit,
              start: r[0],
              end: r[1],
              message: `Stage \`${stage.key}\` outputs dataset \`${out}\` with no schema beside it (a \`schema.json\`, \`${dataset}.odcs.yaml\` …) and no pandera schema or data contract named after it: the next stage trusts whatever this one wrote.`,
              when: (facts) => !covered(facts, dataset) && !schemaBeside(facts, full, folder),
            });
          }
        }
      }
    }
  },
});

function schemaBeside(facts: WorkspaceFacts, out: string, folder: boolean): boolean {
  const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  const dir = folder ? out : dirOf(out);
  const stem = (out.split('/').pop() ?? out).replace(/\..*$/, '');
  return facts
    .findPaths((p) => dirOf(p) === dir || (folder && p.startsWith(`${out}/`)))
    .some((p) => {
      const base = p.split('/').pop() ?? p;
      return CONTRACT_FILE.test(p) || SCHEMA_FILE.test(p) || base.startsWith(`${stem}.schema`) || base.startsWith(`${stem}_schema`);
    });
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
