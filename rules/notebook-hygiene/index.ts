import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import cellSyntaxError from './cell-syntax-error';
import invalidNotebook from './invalid-notebook';

/** The notebook-hygiene family (N): how notebooks are kept, saved and run. */
export const notebookRules: Rule[] = [invalidNotebook, cellSyntaxError];
export const notebookCollectors: FactCollector[] = [];
