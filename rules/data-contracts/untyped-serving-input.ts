import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { ensureImport } from '../fixes/python-edits';
import { follow } from './flow';
import { programIndex, sameNode, scopeOf, type ProgramIndex } from './python-index';
import { modelSink, untypedInputs, type UntypedInput } from './serving';
import { moduleNames, where } from './sites';

const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for',
  'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);
/** Names a pydantic model already uses: a field with one of them would shadow it. */
const BASEMODEL_NAMES = new Set(['dict', 'json', 'copy', 'schema', 'schema_json', 'fields', 'validate', 'construct', 'parse_obj', 'parse_raw', 'parse_file', 'from_orm', 'update_forward_refs', 'Config']);

interface Field {
  name: string;
  type: string;
  required: boolean;
  default?: string;
}

function literalType(node: Node | null | undefined): { type: string; text: string } | null {
  if (!node) return null;
  switch (node.type) {
    case 'integer':
      return { type: 'int', text: node.text };
    case 'float':
      return { type: 'float', text: node.text };
    case 'string':
      return node.namedChildren.some((c) => c?.type === 'interpolation') ? null : { type: 'str', text: node.text };
    case 'true':
    case 'false':
      return { type: 'bool', text: node.text };
    case 'none':
      return { type: 'Any', text: 'None' };
    case 'unary_operator':
      return node.namedChild(0)?.type === 'integer' ? { type: 'int', text: node.text } : node.namedChild(0)?.type === 'float' ? { type: 'float', text: node.text } : null;
    default:
      return null;
  }
}

function keyOf(node: Node | null | undefined): string | null {
  if (node?.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  const m = /^[a-zA-Z]*(['"])([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(node.text);
  return m ? m[2] : null;
}

/** The type a value is converted to where it is used: `float(payload["x"])` → float. */
function conversionType(node: Node): string | null {
  const list = node.parent;
  if (list?.type !== 'argument_list' || list.namedChildCount !== 1) return null;
  const fn = list.parent?.childForFieldName('function');
  return fn?.type === 'identifier' && /^(int|float|str|bool)$/.test(fn.text) ? fn.text : null;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/**
 * FastAPI: a pydantic model for the request, with fields inferred from how the handler uses the
 * dict (`payload["amount"]` → required, `payload.get("hour", 0)` → `hour: int = 0`); the uses
 * become attribute access and whole-dict uses become `payload.model_dump()`. No fix when a use
 * cannot be rewritten faithfully (`"k" in payload`, `payload.items()`, mutation, computed keys).
 */
function fastapiModelFix(program: PythonProgram, index: ProgramIndex, input: UntypedInput): FixSpec | null {
  const p = input.param;
  if (!p || p.kind !== 'annotated' || !p.typeNode || input.framework !== 'fastapi') return null;
  const fn = input.handler;
  if (fn.className || scopeOf(fn.node)) return null;
  const fields = new Map<string, Field>();
  const edits: EditSpec[] = [];
  const unit = fn.unit;
  const body = fn.node.childForFieldName('body');
  if (!body) return null;
  const inScope = index.identifiers(fn.node).filter(({ node }) => node.text === p.name && node.startIndex >= body.startIndex);
  const everywhere = body.descendantsOfType('identifier').filter((n) => n?.text === p.name);
  if (everywhere.length !== inScope.length) return null; // used in a nested function too
  for (const { node: id } of inScope) {
    const parent = id.parent;
    if (!parent) return null;
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && sameNode(parent.childForFieldName('left'), id)) return null; // rebound
    if (parent.type === 'keyword_argument' && sameNode(parent.childForFieldName('name'), id)) continue;
    if (parent.type === 'subscript' && sameNode(parent.childForFieldName('value'), id)) {
      const key = keyOf(parent.childForFieldName('subscript'));
      if (!key) return null;
      const target = parent.parent;
      if (target && (target.type === 'assignment' || target.type === 'augmented_assignment') && sameNode(target.childForFieldName('left'), parent)) return null;
      if (target?.type === 'delete_statement') return null;
      const conv = conversionType(parent);
      merge(fields, { name: key, type: conv ?? 'Any', required: true });
      edits.push({ unit, start: parent.startIndex, end: parent.endIndex, newText: `${p.name}.${key}` });
      continue;
    }
    if (parent.type === 'attribute' && sameNode(parent.childForFieldName('object'), id)) {
      const attr = parent.childForFieldName('attribute')?.text;
      const call = parent.parent;
      if (attr !== 'get' || call?.type !== 'call') return null;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
      const key = keyOf(args[0]);
      if (!key || args.length > 2 || args.some((a) => a.type === 'keyword_argument')) return null;
      const def = args[1] ? literalType(args[1]) : { type: 'Any', text: 'None' };
      if (!def) return null;
      const conv = conversionType(call);
      merge(fields, { name: key, type: conv && def.text !== 'None' ? conv : def.type, required: false, default: def.text });
      edits.push({ unit, start: call.startIndex, end: call.endIndex, newText: `${p.name}.${key}` });
      continue;
    }
    if (parent.type === 'comparison_operator' || parent.type === 'for_statement' || parent.type === 'for_in_clause') return null; // `"k" in payload`, iteration
    edits.push({ unit, start: id.startIndex, end: id.endIndex, newText: `${p.name}.model_dump()` });
  }
  if (!fields.size) return null;
  for (const f of fields.values()) if (PY_KEYWORDS.has(f.name) || BASEMODEL_NAMES.has(f.name) || f.name.startsWith('model_') || f.name.startsWith('_')) return null;

  const taken = moduleNames(program, index);
  for (const b of program.imports.bindings) taken.add(b.local);
  let className = `${pascal(fn.name)}Request`;
  for (let i = 2; taken.has(className); i++) className = `${pascal(fn.name)}Request${i}`;

  const imports: EditSpec[] = [];
  let baseModel = 'BaseModel';
  const bm = program.imports.binding('BaseModel');
  if (bm && bm.qualified !== 'pydantic.BaseModel') return null;
  if (!bm) {
    const pyd = program.imports.binding('pydantic');
    if (pyd?.qualified === 'pydantic') baseModel = 'pydantic.BaseModel';
    else {
      const e = ensureImport(program, 'pydantic', 'BaseModel');
      if (e) imports.push(e);
    }
  }
  const usesAny = [...fields.values()].some((f) => f.type === 'Any');
  let anyName = 'Any';
  if (usesAny) {
    const any = program.imports.binding('Any');
    if (any && any.qualified !== 'typing.Any') return null;
    if (!any) {
      if (program.imports.binding('typing')?.qualified === 'typing') anyName = 'typing.Any';
      else {
        const e = ensureImport(program, 'typing', 'Any');
        if (e) imports.push(e);
      }
    }
  }
  const eol = unit.text.includes('\r\n') ? '\r\n' : '\n';
  const lines = [`class ${className}(${baseModel}):`];
  for (const f of [...fields.values()].sort((a, b) => Number(!a.required) - Number(!b.required))) {
    const type = f.type === 'Any' ? anyName : f.type;
    lines.push(`    ${f.name}: ${type}${f.required ? '' : ` = ${f.default ?? 'None'}`}`);
  }
  const defNode = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : fn.node;
  const at = unit.lines.lineStart(unit.lines.lineOf(defNode.startIndex));
  const classEdit: EditSpec = { unit, start: at, end: at, newText: lines.join(eol) + eol + eol + eol };
  const annotation: EditSpec = { unit, start: p.typeNode.startIndex, end: p.typeNode.endIndex, newText: className };
  // imports at the same offset go in one edit, in a stable order
  const merged: EditSpec[] = [];
  for (const e of imports) {
    const same = merged.find((m) => m.unit === e.unit && m.start === e.start && m.end === e.end);
    if (same) same.newText += e.newText;
    else merged.push({ ...e });
  }
  return {
    title: `Declare the request as a pydantic model \`${className}\` (${[...fields.keys()].join(', ')})`,
    applicability: 'unsafe',
    edits: [...merged, classEdit, annotation, ...edits],
  };
}

function merge(fields: Map<string, Field>, f: Field): void {
  const old = fields.get(f.name);
  if (!old) {
    fields.set(f.name, f);
    return;
  }
  old.required ||= f.required;
  if (old.required) delete old.default;
  if (old.type !== f.type) old.type = old.type === 'Any' ? f.type : f.type === 'Any' ? old.type : 'Any';
}

export default defineRule({
  code: 'D103',
  name: 'untyped-serving-input',
  category: 'data-contracts',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A serving endpoint or scoring function passes an untyped request (`dict`/`Any` parameter, `**kwargs`, `request.json`, `request.get_json()`, `await request.json()`) to a model without a pydantic model, validating dataclass or schema check in between.',
    why:
      'At the serving boundary the caller decides what the model sees. A missing field, a string where a number belongs, a renamed key or an extra feature goes straight into `predict` and comes back as a confident, wrong score — or as a 500 with a stack trace instead of a 422 that tells the client what to fix. A typed request model documents the contract in the OpenAPI schema and rejects bad input before it reaches the model.',
    example:
      'from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.post("/predict")\ndef predict(payload: dict):\n    return {"score": model.predict([[payload["amount"], payload["hour"]]])[0]}',
    useInstead:
      'from fastapi import FastAPI\nfrom pydantic import BaseModel, Field\n\napp = FastAPI()\n\nclass Transaction(BaseModel):\n    amount: float = Field(ge=0)\n    hour: int = Field(ge=0, le=23)\n\n@app.post("/predict")\ndef predict(tx: Transaction):\n    return {"score": model.predict([[tx.amount, tx.hour]])[0]}',
    fixSafety:
      'Unsafe: requests that used to be accepted are rejected with 422 when a field is missing or has the wrong type. For FastAPI handlers the fix adds a pydantic `BaseModel` whose fields come from how the handler uses the dict (`payload["k"]` is required, `payload.get("k", 0)` is optional with that default, `float(payload["k"])` gives the type, anything else is `Any`), annotates the parameter with it and rewrites the uses to attributes (`payload.model_dump()` where the whole dict was used). Tighten the field types and add constraints afterwards.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const index = programIndex(program);
    const inputs = untypedInputs(index);
    if (!inputs.length) return;
    const validation = { allow: ctx.config.allow.validation, serving: true };
    const sink = modelSink(index, validation);
    for (const input of inputs) {
      const flow = input.param
        ? follow(index, { names: [input.param.name], scope: input.handler.node, validation, sink })
        : follow(index, { source: input.expr!, scope: input.handler.node, validation, sink });
      if (!flow.firstUse || (flow.validated && flow.validated.order < flow.firstUse.order)) continue;
      const unit = input.expr?.unit ?? input.handler.unit;
      const node = input.param?.node ?? input.expr!.node;
      const fix = fastapiModelFix(program, index, input);
      const advice =
        input.framework === 'fastapi' || input.framework === 'litestar'
          ? 'Declare the request body as a pydantic model'
          : `Validate it first (\`Model.model_validate(${input.param ? input.param.name : input.label})\` with a pydantic model, or a schema check)`;
      ctx.report({
        unit,
        start: node.startIndex,
        end: node.endIndex,
        message: `\`${input.label}\` reaches \`${flow.firstUse.label}\` (${where(flow.firstUse, unit)}) without validation: a missing field, a wrong type or an extra key goes straight into the model. ${advice}.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
