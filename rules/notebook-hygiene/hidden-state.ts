import { defineRule } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';
import { pipelineStep } from './pipeline-steps';
import { bindsUnknownNames, globalBindings, immediateReads } from './scope';

/** Names that exist before any cell runs: builtins and what IPython defines. */
const PREDEFINED = new Set([
  ...'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip'.split(' '),
  ...'True False None Ellipsis NotImplemented __name__ __doc__ __builtins__ __spec__ __loader__ __package__'.split(' '),
  ...'display get_ipython In Out _ __ ___ _i _ii _iii _ih _oh _dh'.split(' '),
]);

function predefined(name: string): boolean {
  if (PREDEFINED.has(name)) return true;
  // each pattern needs its first character: most words start with a lowercase letter
  const first = name.charCodeAt(0);
  if (first === UNDERSCORE) return /^_i?\d+$/.test(name);
  return first >= 65 && first <= 90 && /^[A-Z]\w*(Error|Warning|Exception|Exit|Interrupt|Iteration|Group)$/.test(name);
}

const UNDERSCORE = 95;

/** `[A-Za-z_]` of a regular expression, for one UTF-16 code unit. */
function startsWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE;
}

/** The distinct words of a text, as the global regular expression `[A-Za-z_]\w*` finds them, without a list of every occurrence. */
function distinctWords(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length; ) {
    if (!startsWord(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    for (let c = text.charCodeAt(end); startsWord(c) || (c >= 48 && c <= 57); c = text.charCodeAt(++end));
    out.add(text.slice(i, end));
    i = end;
  }
  return out;
}

const WORDS = { name: 'hidden-state words' };

/**
 * The distinct words written in a cell: the only names its reads can be looked up for. Kept with
 * the tree (the cell's text is the tree's), so an editor's unchanged cells are not tokenized again
 * on each keystroke. Do not mutate the set.
 */
function cellWords(unit: PythonUnit): ReadonlySet<string> {
  return unit.tree.memo(WORDS, () => distinctWords(unit.text));
}

export default defineRule({
  code: 'N113',
  name: 'hidden-state',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'In a notebook that a pipeline runs (dvc.yaml, papermill, Airflow `PapermillOperator`, a Kubeflow or CI command) or that is at the production stage, a cell reads a variable that only a later cell defines. Reads inside function bodies, guarded reads (`except NameError`, `"x" in globals()`) and notebooks that bind unknown names (`%run`, `from x import *`) are left alone.',
    why:
      'In the editor the cell worked because the later cell had been run before, by hand: the value lived in the kernel, not in the notebook. A pipeline runs the cells top to bottom in a fresh kernel, where the read fails with NameError, or worse, in a long-lived kernel where it silently uses a stale value.',
    example: '# cell 2\nmodel.fit(X_train, y_train)\n# cell 3\nmodel = GradientBoostingClassifier(random_state=0)',
    useInstead: '# cell 2\nmodel = GradientBoostingClassifier(random_state=0)\n# cell 3\nmodel.fit(X_train, y_train)\n\n# then check it: restart the kernel and run all cells before committing',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    const program = ctx.doc.python;
    if (!nb || nb.problem || !program) return;
    const units = program.units as PythonUnit[];
    const firstBound = new Map<string, number>();
    for (let i = 0; i < units.length; i++) {
      if (units[i].foreignCellMagic) continue;
      for (const name of globalBindings(program, units[i])) if (!firstBound.has(name)) firstBound.set(name, i);
    }
    const path = ctx.doc.path;
    const stage = ctx.stage;
    const reported = new Set<string>();
    for (let i = 0; i < units.length; i++) {
      const unit = units[i];
      // after `%run x.py` or `from x import *`, any name may exist
      if (bindsUnknownNames(program, unit)) break;
      if (unit.foreignCellMagic || unit.hasSyntaxError) continue;
      // only the names written in this cell are looked up in its tree
      const later = new Set<string>();
      for (const word of cellWords(unit)) {
        const at = firstBound.get(word);
        if (at !== undefined && at > i && !reported.has(word) && !predefined(word)) later.add(word);
      }
      for (const read of immediateReads(unit, later)) {
        if (reported.has(read.name)) continue;
        reported.add(read.name);
        const below = firstBound.get(read.name)! - i;
        ctx.reportNode(unit, read.node, `\`${read.name}\` is read here but only defined ${below === 1 ? 'in the next code cell' : `${below} code cells below`}: run top to bottom in a fresh kernel, as a pipeline runs it, this cell fails with NameError.`, {
          when: (facts) => stage === 'production' || !!pipelineStep(facts, path),
        });
      }
    }
  },
});
