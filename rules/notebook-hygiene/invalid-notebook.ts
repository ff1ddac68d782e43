import { defineRule } from '../core/rule';

export default defineRule({
  code: 'N001',
  name: 'invalid-notebook',
  category: 'notebook-hygiene',
  severity: 'error',
  appliesTo: ['notebook'],
  docs: {
    summary: 'The .ipynb file is not a readable nbformat 4 notebook: broken JSON (often a merge conflict), an empty file, or another format.',
    why: 'Jupyter, papermill and CI cannot open the notebook either, so whatever it computes cannot be reproduced. No other rule can check it until it is repaired.',
    example: '{ "cells": [ … ],\n<<<<<<< HEAD',
    useInstead: 'Resolve the conflict with `nbdime` (`nbdime mergetool`) or restore the file, then save it from Jupyter.',
    language: 'text',
  },
  check(ctx) {
    const problem = ctx.doc.notebook?.problem;
    if (!problem) return;
    ctx.report({ unit: ctx.doc.file, start: problem.start, end: problem.end, message: problem.message });
  },
});
