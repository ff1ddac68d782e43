import type { Node } from '../documents/python/syntax-tree';
import type { PythonUnit } from '../documents/python/unit';

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

/** A problem with the end of the node it came from, to skip errors nested in it. */
interface Located extends SyntaxProblem {
  containerEnd: number;
}

/**
 * Syntax errors of a Python unit: what tree-sitter could not parse (unexpected text, a missing
 * token), plus what its grammar accepts but Python 3 rejects: Python 2 `print`/`exec` statements and
 * inconsistent indentation inside a block. At most one error per line, outermost first, in order.
 */
/**
 * Keys of the answers kept with the tree (see `SyntaxTree.memo`): they depend on its text alone,
 * and on whether it is a notebook cell (indented cells); an editor's unchanged cells answer from
 * the previous lint.
 */
const CELL_ERRORS = { name: 'syntax errors of a cell' };
const FILE_ERRORS = { name: 'syntax errors of a file' };

export function syntaxErrors(unit: PythonUnit): SyntaxProblem[] {
  const errors = unit.tree.memo(unit.cell !== undefined ? CELL_ERRORS : FILE_ERRORS, () => computeSyntaxErrors(unit));
  return errors.length ? errors.map((e) => ({ ...e })) : [];
}

function computeSyntaxErrors(unit: PythonUnit): SyntaxProblem[] {
  const out: Located[] = [];
  if (unit.hasSyntaxError) {
    for (const node of unit.nodes('error')) {
      if (out.length >= 5) break;
      // an ERROR inside an ERROR already reported says nothing new
      if (out.some((e) => node.startIndex >= e.start && node.endIndex <= e.containerEnd)) continue;
      if (node.isMissing) {
        out.push({ start: node.startIndex, end: node.endIndex, containerEnd: node.endIndex, message: `missing \`${node.type}\`.` });
      } else {
        const text = node.text.split(/\r?\n/)[0].trim();
        const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
        // an ERROR node can span many lines; point at its first line only
        const end = Math.min(node.endIndex, unit.lines.lineEnd(unit.lines.lineOf(node.startIndex)));
        const message = /^[rRbBuUfF]{0,2}("|'|"""|''')$/.test(text) ? 'unterminated string literal.' : shown ? `unexpected \`${shown}\`.` : 'invalid syntax.';
        out.push({ start: node.startIndex, end: Math.max(end, node.startIndex + 1), containerEnd: node.endIndex, message });
      }
    }
  }
  if (out.length) {
    // tree-sitter recovers from an unclosed bracket or string somewhere after it; Python points at its start
    const lexical = lexicalProblem(unit.root.text);
    if (lexical && lexical.offset < out[0].containerEnd) {
      const line = unit.lines.lineOf(lexical.offset);
      const kept = out.filter((e) => unit.lines.lineOf(e.start) < line);
      out.length = 0;
      out.push(...kept, { start: lexical.offset, end: Math.min(lexical.end, unit.lines.lineEnd(line)), containerEnd: unit.text.length, message: lexical.message });
    }
  }
  if (/\b(print|exec)\b/.test(unit.text)) {
    for (const node of unit.root.descendantsOfType(['print_statement', 'exec_statement'])) {
      const word = node.type === 'print_statement' ? 'print' : 'exec';
      out.push({ start: node.startIndex, end: node.startIndex + word.length, containerEnd: node.endIndex, message: `Python 2 \`${word}\` statement: call \`${word}(…)\` instead.` });
    }
  }
  out.push(...indentationErrors(unit));
  const seen = new Set<number>();
  return out
    .sort((a, b) => a.start - b.start)
    .filter((e) => {
      const line = unit.lines.lineOf(e.start);
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    })
    .slice(0, 5)
    .map(({ start, end, message }) => ({ start, end, message }));
}

/**
 * Statements of one block (or of the module) that begin their line at a different column than the
 * block's first statement: Python's "unexpected indent" / "unindent does not match", which
 * tree-sitter recovers from silently. A notebook cell may be indented as a whole: IPython removes
 * the first line's indentation from the lines that start with it, and so does this check.
 */
function indentationErrors(unit: PythonUnit): Located[] {
  const out: Located[] = [];
  const lines = unit.lines;
  // IPython removes the first line's indentation from every line that starts with it
  const lead = unit.cell !== undefined ? (/^(?:[ \t]*\r?\n)*([ \t]*)/.exec(unit.text)?.[1] ?? '') : '';
  const check = (container: Node, expected: number | null, module = false) => {
    let column = expected;
    for (const child of container.namedChildren) {
      if (!child || child.type === 'comment' || child.type === 'ERROR') continue;
      const indent = indentBefore(unit.text, child.startIndex);
      if (indent === null) continue; // after `;` or on the header line (`if x: y`)
      const lineStart = child.startIndex - indent;
      const col = module && lead && indent >= lead.length && unit.text.startsWith(lead, lineStart) ? indent - lead.length : indent;
      if (column === null) column = col;
      else if (col !== column) {
        const line = lines.lineOf(child.startIndex);
        const end = lines.lineEnd(line);
        out.push({
          start: child.startIndex,
          end: Math.max(child.startIndex + 1, Math.min(end, child.endIndex)),
          containerEnd: child.startIndex + 1,
          message: col < column || indent < previousIndent(line) ? 'unindent does not match any outer indentation level.' : 'unexpected indent.',
        });
        return; // one per block: the rest usually follow from the first
      }
    }
  };
  /** Indentation of the closest line above that has code. */
  const previousIndent = (line: number): number => {
    for (let l = line - 1; l >= 0; l--) {
      const text = lines.lineText(l);
      if (text.trim() && !text.trim().startsWith('#')) return text.length - text.trimStart().length;
    }
    return 0;
  };
  /**
   * Whether every child of the node that starts its line starts it at one column: read from the
   * tree's arrays, so that the statements of a consistent block (nearly all) need no node objects.
   * Comments, errors and tokens are counted too, so a block with any difference is checked in full.
   */
  const aligned = (container: Node, expected: number | null, module = false): boolean => {
    const { lasts, starts } = unit.tree;
    let column = expected;
    for (let c = container.order + 1; c <= container.last; c = lasts[c] + 1) {
      const start = starts[c];
      const indent = indentBefore(unit.text, start);
      if (indent === null) continue;
      const col = module && lead && indent >= lead.length && unit.text.startsWith(lead, start - indent) ? indent - lead.length : indent;
      if (column === null) column = col;
      else if (col !== column) return false;
    }
    return true;
  };
  if (!aligned(unit.root, 0, true)) check(unit.root, 0, true);
  if (unit.text.includes('\n')) for (const node of unit.tree.ofType('block')) if (!aligned(node, null)) check(node, null);
  return out;
}

/**
 * The length of the blank text between the start of `offset`'s line (after \n, \r\n or \r, as
 * LineIndex counts lines) and `offset`; null when code comes first. Scans back instead of slicing the
 * line: it runs for every statement.
 */
function indentBefore(text: string, offset: number): number | null {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return offset - i - 1;
    if (c !== 32 && c !== 9 && !/\s/.test(text[i])) return null;
  }
  return offset;
}

/**
 * The first unterminated string or unclosed bracket (or one closed by the wrong kind), skipping
 * comments; null when there is none. Used only to explain an error tree-sitter found.
 */
export function lexicalProblem(text: string): { offset: number; end: number; message: string } | null {
  const stack: number[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      const prefix = /[rRbBuUfF]{0,2}$/.exec(text.slice(Math.max(0, i - 2), i))?.[0] ?? '';
      const raw = /r/i.test(prefix);
      const start = i - prefix.length;
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length;
      while (i < text.length && !text.startsWith(quote, i)) {
        if (text[i] === '\\' && !raw) i++;
        else if (quote.length === 1 && (text[i] === '\n' || text[i] === '\r')) return { offset: start, end: i, message: 'unterminated string literal.' };
        i++;
      }
      if (i >= text.length) return { offset: start, end: start + quote.length + prefix.length, message: quote.length === 3 ? 'unterminated triple-quoted string literal.' : 'unterminated string literal.' };
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') stack.push(i);
    else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (top === undefined) continue; // a stray closer: tree-sitter's own message is better
      if (text[top] !== pairs[c]) return { offset: top, end: top + 1, message: `\`${text[top]}\` is closed by \`${c}\`.` };
    }
  }
  return stack.length ? { offset: stack[0], end: stack[0] + 1, message: `\`${text[stack[0]]}\` is never closed.` } : null;
}
