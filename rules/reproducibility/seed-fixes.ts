import type { FixSpec } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { keywordEdit, mayRepeat, SEED_CONSTANT, SEED_VALUE, seedCallEdits, seedReference } from './python';
import type { Node } from '../documents/python/syntax-tree';

/**
 * Applicability of seeding fixes (documented in each rule's fixSafety): a run that drew random
 * numbers now draws one fixed sequence, which is one of the runs the program could already make,
 * so nothing that worked before can break: safe. Where the code may run repeatedly on purpose (in a
 * loop, a comprehension, or a function called from one), a per-call seed would make every
 * repetition identical: unsafe there.
 */

/** Passes `param=SEED` to a call, creating `SEED = 42` after the first unit's imports when the project has no seed constant. */
export function seedKeywordFix(program: PythonProgram, call: CallSite, param: string): FixSpec | null {
  const seed = seedReference(program, call.node);
  if (!seed) return null;
  const edit = keywordEdit(call, param, seed.name);
  if (!edit) return null;
  return {
    title: `Pass ${param}=${seed.name}${seed.edits.length ? ` (adds ${SEED_CONSTANT} = ${SEED_VALUE} after the imports)` : ''}`,
    applicability: mayRepeat(program, call.node) ? 'unsafe' : 'safe',
    edits: [...seed.edits, edit],
  };
}

/** Seeds a global generator once after the seed constant (`np.random.seed(SEED)`): one stream, so repeated draws still differ. */
export function seedCallFix(program: PythonProgram, module: string, call: (local: string, seed: string) => string, firstUse: Node, what: string): FixSpec | null {
  const edits = seedCallEdits(program, module, call, firstUse);
  if (!edits) return null;
  const inserted = edits[edits.length - 1].newText.trim();
  return { title: `Seed ${what} once after the imports: \`${inserted}\``, applicability: 'safe', edits };
}

/** Passes the seed as the first argument of a generator constructor: `np.random.default_rng()` → `np.random.default_rng(SEED)`. */
export function seedArgumentFix(program: PythonProgram, call: CallSite): FixSpec | null {
  // a generator built repeatedly (loop, comprehension, function called from one) must not get the
  // same seed every time: the fix is to build it once, outside, which is not an edit mlready can make
  if (mayRepeat(program, call.node)) return null;
  const seed = seedReference(program, call.node);
  if (!seed) return null;
  const args = call.node.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return null;
  const first = call.positional[0];
  const edit = first
    ? { unit: call.unit, start: first.startIndex, end: first.endIndex, newText: seed.name }
    : { unit: call.unit, start: args.startIndex + 1, end: args.startIndex + 1, newText: seed.name };
  return {
    title: `Seed the generator with ${seed.name}${seed.edits.length ? ` (adds ${SEED_CONSTANT} = ${SEED_VALUE} after the imports)` : ''}`,
    applicability: 'safe',
    edits: [...seed.edits, edit],
  };
}
