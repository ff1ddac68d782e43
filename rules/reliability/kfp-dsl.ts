import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';

/**
 * Kubeflow Pipelines Python DSL: the tasks a `@dsl.pipeline` function creates by calling
 * components, and what each task sets through the task methods (`.set_cpu_limit(…)`,
 * `.set_memory_limit(…)`, `.set_retry(…)`, `.set_accelerator_type/limit(…)`, v1's `.set_gpu_limit`),
 * chained on the call or called later on the variable that holds the task.
 *
 * Components are the functions of the file decorated with `@dsl.component`,
 * `@dsl.container_component`, `@create_component_from_func`/`@func_to_container_op`, the names
 * bound to `load_component_from_file/url/text(…)` or `create_component_from_func(…)`, v1
 * `dsl.ContainerOp(…)`, and names imported from a module whose name says it holds components
 * (`…components…`, `…_ops`). A task handed to another function, kept in a list, or configured
 * with `.apply(…)` is taken as configured (nothing is reported for it).
 */

export interface KfpTask {
  call: CallSite;
  component: string;
  unit: PythonUnit;
  /** Task methods called on it, by name. */
  methods: Map<string, Node[]>;
  /** Settings it may get from code mlready does not follow. */
  unknown: boolean;
  /** Accelerator (GPU/TPU) placement set without a count: the reason, for the message. */
  acceleratorHint?: string;
  /** 2 for the v2 SDK (`@dsl.component`), 1 for v1 (`ContainerOp`, `create_component_from_func`). */
  version: 1 | 2;
  /**
   * A prebuilt Google Cloud Pipeline Components operator (`CustomTrainingJobOp`, `ModelUploadOp` …):
   * a launcher whose own container needs no sizing (the job it launches is sized by its arguments).
   */
  prebuilt: boolean;
}

const COMPONENT_DECORATOR = /^kfp\.(v2\.)?dsl\.(component|container_component|python_component)$|^kfp\.(v2\.)?components\.(create_component_from_func|func_to_container_op|create_component_from_func_v2)$|^kfp\.dsl\.components\.component$/;
const PIPELINE_DECORATOR = /^kfp\.(v2\.)?dsl\.pipeline$|^kfp\.dsl\.pipeline_context\.pipeline$/;
const LOADER = /^kfp\.(v2\.)?components\.(load_component_from_(file|url|text)|load_component|create_component_from_func|func_to_container_op|create_component_from_func_v2)$/;
const CONTAINER_OP = /^kfp\.dsl\.(ContainerOp|_container_op\.ContainerOp)$/;
const COMPONENT_MODULE = /(^|\.)(components?|ops|steps)(\.|$)|_(components?|ops?)$/;

export const CPU_METHODS = ['set_cpu_limit', 'set_cpu_request'];
export const MEMORY_LIMIT_METHODS = ['set_memory_limit'];
export const RETRY_METHODS = ['set_retry'];
export const GPU_LIMIT_METHODS = ['set_accelerator_limit', 'set_gpu_limit', 'set_accelerator_type'];

function decoratedName(decorator: Node): string | null {
  const def = decorator.parent?.childForFieldName('definition');
  return def?.type === 'function_definition' ? (def.childForFieldName('name')?.text ?? null) : null;
}

function decoratorTarget(program: PythonProgram, decorator: Node): string | null {
  let expr = decorator.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  if (expr?.type === 'call') expr = expr.childForFieldName('function');
  return program.resolve(expr);
}

function within(node: Node, container: Node): boolean {
  return node.tree === container.tree && node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

const ACCEL_KEY = /gke-accelerator|gke-tpu|accelerator|nvidia\.com\/gpu|gpu/i;

export function kfpTasks(program: PythonProgram): KfpTask[] {
  if (!program.imports.imports('kfp')) return [];
  const components = new Set<string>();
  const pipelines: Node[] = [];
  let v2 = program.imports.imports('kfp.v2');
  for (const { node } of program.nodes('decorator')) {
    const target = decoratorTarget(program, node);
    if (!target) continue;
    const name = decoratedName(node);
    if (COMPONENT_DECORATOR.test(target) && name) {
      components.add(name);
      if (/dsl\.(component|container_component)$/.test(target)) v2 = true;
    } else if (PIPELINE_DECORATOR.test(target)) {
      const def = node.parent?.childForFieldName('definition');
      if (def) pipelines.push(def);
    }
  }
  if (!pipelines.length) return [];
  for (const { node } of program.nodes('assignment')) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const call = program.calls().find((c) => c.node.id === right.id);
    if (call && ((call.qualified && LOADER.test(call.qualified)) || call.method === 'load_component')) components.add(left.text);
  }
  const prebuilt = new Set<string>();
  for (const b of program.imports.bindings) {
    if (b.local === '*' || b.module.startsWith('kfp') || b.qualified === b.module) continue;
    if (b.module.startsWith('google_cloud_pipeline_components')) {
      if (/Op$/.test(b.local)) prebuilt.add(b.local);
    } else if (COMPONENT_MODULE.test(b.module)) components.add(b.local);
  }
  const tasks: KfpTask[] = [];
  const calls = program.calls();
  for (const pipeline of pipelines) {
    const inPipeline = calls.filter((c) => within(c.node, pipeline));
    for (const call of inPipeline) {
      const fn = call.node.childForFieldName('function');
      const isPrebuilt = fn?.type === 'identifier' && prebuilt.has(fn.text);
      const isComponent = fn?.type === 'identifier' ? components.has(fn.text) || isPrebuilt : fn?.type === 'attribute' && components.has(fn.text.split('.')[0]) && !program.imports.binding(fn.text.split('.')[0])?.module.startsWith('kfp');
      const isContainerOp = !!call.qualified && CONTAINER_OP.test(call.qualified);
      if (!isComponent && !isContainerOp) continue;
      const task: KfpTask = { call, component: call.callee ?? 'component', unit: call.unit, methods: new Map(), unknown: false, version: v2 && !isContainerOp ? 2 : 1, prebuilt: isPrebuilt };
      const add = (method: string, node: Node) => {
        let list = task.methods.get(method);
        if (!list) task.methods.set(method, (list = []));
        list.push(node);
      };
      // the chain on the call: comp(...).set_cpu_limit("2").set_retry(3)
      let top: Node = call.node;
      for (;;) {
        if (top.parent?.type === 'parenthesized_expression') top = top.parent;
        else if (top.parent?.type === 'attribute' && top.parent.parent?.type === 'call' && top.parent.parent.childForFieldName('function')?.id === top.parent.id) {
          add(top.parent.childForFieldName('attribute')?.text ?? '', top.parent.parent);
          top = top.parent.parent;
        } else break;
      }
      if (top.parent?.type === 'assignment' && top.parent.childForFieldName("right")?.id === top.id) {
        const left = top.parent.childForFieldName('left');
        if (left?.type === 'identifier') followVariable(program, pipeline, left.text, top.parent, task, add);
        else task.unknown = true;
      } else if (top.parent && !['expression_statement', 'argument_list', 'keyword_argument', 'attribute'].includes(top.parent.type)) task.unknown = true;
      if (task.methods.has('apply')) task.unknown = true;
      // v2's set_accelerator_type (and one-argument add_node_selector_constraint) also sets the count to 1;
      // v1's add_node_selector_constraint(key, value) and kfp-kubernetes node selectors only place the pod
      for (const m of ['add_node_selector_constraint', 'add_node_selector', 'add_toleration']) {
        for (const n of task.methods.get(m) ?? []) {
          const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
          if (m === 'add_node_selector_constraint' && args.length < 2) {
            add('set_accelerator_type', n);
            continue;
          }
          const text = args.map((a) => (a.type === 'string' ? (stringParts(a).value ?? a.text) : a.text)).join(' ');
          if (ACCEL_KEY.test(text)) task.acceleratorHint ??= `\`${m === 'add_node_selector_constraint' ? '.' : 'kubernetes.'}${m}(${args.map((a) => a.text).join(', ')})\``;
        }
      }
      tasks.push(task);
    }
  }
  return tasks;
}

function followVariable(program: PythonProgram, pipeline: Node, name: string, assignment: Node, task: KfpTask, add: (m: string, n: Node) => void): void {
  const unit = program.unitOf(assignment);
  for (const id of unit.root.descendantsOfType('identifier')) {
    if (!id || id.text !== name || !within(id, pipeline) || id.startIndex < assignment.endIndex) continue;
    const parent = id.parent;
    if (!parent) continue;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === id.id) {
      // task.set_retry(…), task.container.set_memory_limit(…) (v1), task.output …
      let attr: Node = parent;
      while (attr.parent?.type === 'attribute' && attr.parent.childForFieldName('object')?.id === attr.id) attr = attr.parent;
      if (attr.parent?.type === 'call' && attr.parent.childForFieldName('function')?.id === attr.id) {
        add(attr.childForFieldName('attribute')?.text ?? '', attr.parent);
        // chained after the first call: task.set_cpu_limit(…).set_memory_limit(…)
        let top: Node = attr.parent;
        while (top.parent?.type === 'attribute' && top.parent.parent?.type === 'call' && top.parent.parent.childForFieldName('function')?.id === top.parent.id) {
          add(top.parent.childForFieldName('attribute')?.text ?? '', top.parent.parent);
          top = top.parent.parent;
        }
      }
      continue;
    }
    if (parent.type === 'argument_list') {
      const call = parent.parent;
      const callee = call?.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
      const qualified = program.resolve(callee ?? null) ?? '';
      if (method === 'after') continue;
      if (/^kfp\.kubernetes\./.test(qualified) || /^kubernetes\.(add_node_selector|add_toleration)$/.test(callee?.text ?? '')) {
        if (call) add(method ?? '', call);
        continue;
      }
      task.unknown = true;
      continue;
    }
    if (parent.type === 'keyword_argument' || parent.type === 'comparison_operator' || parent.type === 'boolean_operator') continue;
    if (parent.type === 'assignment' && parent.childForFieldName("left")?.id === id.id) break; // rebound
    task.unknown = true;
  }
}

/** An edit that chains `text` (`.set_retry(…)`) right after the component call. */
export function chainEdit(task: KfpTask, text: string): EditSpec {
  return { unit: task.unit, start: task.call.node.endIndex, end: task.call.node.endIndex, newText: text };
}
