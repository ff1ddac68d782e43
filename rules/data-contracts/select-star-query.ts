import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import type { CallSite } from '../documents/python/program';
import { stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { programIndex, type ProgramIndex } from './python-index';
import { bindingValue } from './values';

/**
 * `SELECT *` in SQL that Python code runs: `pd.read_sql`, `spark.sql`, `cursor.execute`,
 * `duckdb.sql`, `pl.read_database`, `client.query`, `sqlalchemy.text` … The query is the string
 * argument itself, or a name bound to one (a module constant, an earlier assignment in the same
 * function), `.format()`/f-strings included. Only the outermost SELECT of each statement counts:
 * `SELECT *` inside a subquery, a CTE or `EXISTS (…)` does not decide the shape of the result.
 */

const SQL_METHODS = new Set([
  'read_sql', 'read_sql_query', 'read_gbq', 'read_database', 'read_database_uri', 'sql', 'query', 'execute', 'executemany', 'exec_driver_sql',
  'fetch_df', 'fetch_arrow_table', 'run_query', 'read_sql_table',
]);

export interface StarMatch {
  start: number;
  end: number;
}

/** Offsets of `SELECT *` (or `SELECT t.*`) at parenthesis depth 0, outside quotes and comments. */
export function topLevelSelectStar(sql: string): StarMatch[] {
  const out: StarMatch[] = [];
  let depth = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && /[sS]/.test(c) && (i === 0 || !/[\w$]/.test(sql[i - 1]))) {
      const m = /^select\s+(?:(?:all|distinct)\s+)?(?:top\s*\(?\s*\d+\s*\)?\s+)?(?:[A-Za-z_][\w$]*\.)?\*(?![\w*])/i.exec(sql.slice(i, i + 200));
      if (m) {
        out.push({ start: i, end: i + m[0].length });
        i += m[0].length;
        continue;
      }
    }
    i++;
  }
  return out;
}

interface QuerySource {
  literal: Node;
  unit: PythonUnit;
  /** The SQL text as the program will run it (f-string fields shown as `{…}`). */
  sql: string;
  /** The literal's content maps 1:1 to `sql` (no escapes, no fields): ranges can point inside it. */
  exact: boolean;
}

function querySources(index: ProgramIndex, node: Node | undefined, depth = 0): QuerySource[] {
  if (!node || depth > 4) return [];
  const unit = index.program.unitOf(node);
  switch (node.type) {
    case 'string': {
      const parts = stringParts(node);
      const raw = node.text.slice(parts.contentStart - node.startIndex, parts.contentEnd - node.startIndex);
      if (parts.value !== null) return [{ literal: node, unit, sql: parts.value, exact: parts.value === raw }];
      return [{ literal: node, unit, sql: raw.replace(/\{[^{}]*\}/g, '{…}'), exact: false }];
    }
    case 'concatenated_string':
      // implicit concatenation: judge the whole text, point at the first literal
      return joinSources(index, node.namedChildren.filter((c): c is Node => !!c), depth);
    case 'parenthesized_expression':
      return querySources(index, node.namedChild(0) ?? undefined, depth + 1);
    case 'binary_operator':
      if (node.childForFieldName('operator')?.text === '+' || node.childForFieldName('operator')?.text === '%') {
        return joinSources(index, [node.childForFieldName('left'), node.childForFieldName('right')].filter((c): c is Node => !!c && c.type !== 'tuple'), depth);
      }
      return [];
    case 'call': {
      const site = index.callAt(node);
      if (!site) return [];
      if (site.method === 'format' && site.receiver) return querySources(index, site.receiver, depth + 1);
      if (site.method === 'text' || site.method === 'SQL') return querySources(index, site.positional[0], depth + 1);
      if (site.method === 'dedent' || site.method === 'strip') return querySources(index, site.positional[0] ?? site.receiver ?? undefined, depth + 1);
      return [];
    }
    case 'identifier': {
      const value = bindingValue(index, node);
      return value ? querySources(index, value, depth + 1) : [];
    }
    default:
      return [];
  }
}

function joinSources(index: ProgramIndex, parts: Node[], depth: number): QuerySource[] {
  const sources = parts.map((p) => querySources(index, p, depth + 1));
  if (!sources.length || sources.some((s) => s.length !== 1)) {
    // not fully static: judge each literal on its own
    return sources.flat().map((s) => ({ ...s, exact: false }));
  }
  const first = sources[0][0];
  return [{ literal: first.literal, unit: first.unit, sql: sources.map((s) => s[0].sql).join(''), exact: false }];
}

function queryArgument(call: CallSite): Node | undefined {
  return call.keywords.get('sql') ?? call.keywords.get('query') ?? call.keywords.get('sqlQuery') ?? call.keywords.get('statement') ?? call.keywords.get('operation') ?? call.positional[0];
}

function isSqlCall(call: CallSite): boolean {
  if (!call.method || !SQL_METHODS.has(call.method)) return false;
  // `df.query("a > 1")` is pandas' expression language; the SELECT test below keeps it out anyway
  return true;
}

export default defineRule({
  code: 'D102',
  name: 'select-star-query',
  category: 'data-contracts',
  severity: 'warning',
  appliesTo: ['python'],
  docs: {
    summary: 'A query passed to `read_sql`, `spark.sql`, `cursor.execute` (and similar) selects `*`, so the columns the code receives are whatever the table holds today.',
    why: 'With `SELECT *` the shape of the data belongs to whoever changes the table next: an added column shifts positional features, a renamed one surfaces as a KeyError deep in training, a new wide column multiplies memory. Naming the columns makes the query the contract between the table and the code, and a change fails at the query with a clear message.',
    example: 'df = pd.read_sql("SELECT * FROM customers WHERE active", engine)',
    useInstead: 'df = pd.read_sql(\n    "SELECT customer_id, tenure_months, plan, churned FROM customers WHERE active",\n    engine,\n)',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const index = programIndex(program);
    const seen = new Set<string>();
    for (const call of program.calls()) {
      if (!isSqlCall(call)) continue;
      for (const src of querySources(index, queryArgument(call))) {
        const stars = topLevelSelectStar(src.sql);
        if (!stars.length) continue;
        const key = `${src.unit.ordinal}:${src.literal.startIndex}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const parts = stringParts(src.literal);
        const star = stars[0];
        const start = src.exact ? parts.contentStart + star.start : src.literal.startIndex;
        const end = src.exact ? parts.contentStart + star.end : src.literal.endIndex;
        const callee = call.callee ?? call.method;
        const remote = src.literal.startIndex < call.node.startIndex || src.literal.endIndex > call.node.endIndex || src.unit !== call.unit;
        ctx.report({
          unit: src.unit,
          start,
          end,
          message: `\`SELECT *\` in the query ${remote ? `that \`${callee}\` runs (${call.unit.cell !== undefined && call.unit !== src.unit ? `cell ${call.unit.cell}, ` : ''}line ${call.unit.lines.lineOf(call.node.startIndex) + 1})` : `passed to \`${callee}\``}: the columns this code gets depend on whoever changes the table next. Name the columns it needs.`,
        });
      }
    }
  },
});
