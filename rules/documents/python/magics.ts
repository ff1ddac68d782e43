/**
 * IPython syntax inside notebook cells: line magics (`%cd /data`), cell magics (`%%bash`), shell
 * escapes (`!pip install x`, `files = !ls`) and help (`df?`). They become Magic records, and the text
 * handed to tree-sitter has them replaced by an expression statement of the same length (`0` and
 * spaces), so every offset in the cell stays valid and the rest of the cell parses as Python.
 * Detection follows IPython's own rule: a logical line that starts with the escape character
 * outside of any string or bracket.
 */

export interface Magic {
  /** 'line' = %magic, 'cell' = %%magic, 'shell' = !command, 'help' = obj? */
  kind: 'line' | 'cell' | 'shell' | 'help';
  /** The command word: `pip` for `%pip install x` and `!pip install x`, `bash` for `%%bash`. */
  command: string;
  /** Everything after the command word on the magic's (logical) line. */
  args: string;
  start: number;
  end: number;
}

/** Cell magics whose body is still Python. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'pypy', 'python', 'python3']);

export interface MaskedSource {
  python: string;
  magics: Magic[];
  /** Set when the whole cell is not Python (`%%bash`, `%%sql`, `%%writefile` …). */
  foreignCellMagic?: Magic;
}

export function maskMagics(source: string): MaskedSource {
  if (!/[%!?]/.test(source)) return { python: source, magics: [] };
  const magics: Magic[] = [];
  const chars = source.split('');
  const lineStarts = logicalLineStarts(source);

  const mask = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
    chars[from] = '0';
  };
  const lineEndFrom = (from: number) => {
    let end = from;
    for (;;) {
      while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
      // a trailing backslash continues the magic on the next line
      if (end > from && source[end - 1] === '\\' && end < source.length) {
        end += source[end] === '\r' && source[end + 1] === '\n' ? 2 : 1;
        continue;
      }
      return end;
    }
  };

  for (const lineStart of lineStarts) {
    let i = lineStart;
    while (source[i] === ' ' || source[i] === '\t') i++;
    const end = lineEndFrom(i);
    const line = source.slice(i, end);
    if (line.startsWith('%%')) {
      const { command, args } = splitCommand(line.slice(2));
      const magic: Magic = { kind: 'cell', command, args, start: i, end };
      magics.push(magic);
      if (!PYTHON_BODY_CELL_MAGICS.has(command) && source.slice(0, lineStart).trim() === '') {
        const whole: Magic = { ...magic, end: source.length };
        return { python: source.replace(/[^\r\n]/g, ' '), magics: [whole], foreignCellMagic: whole };
      }
      mask(i, end);
    } else if (line.startsWith('%') || line.startsWith('!')) {
      const { command, args } = splitCommand(line.slice(line.startsWith('!!') ? 2 : 1));
      magics.push({ kind: line[0] === '%' ? 'line' : 'shell', command, args, start: i, end });
      mask(i, end);
    } else if (/^[A-Za-z_][\w.]*\?\??\s*$/.test(line) || /^\?\??[A-Za-z_][\w.]*\s*$/.test(line)) {
      magics.push({ kind: 'help', command: line.replace(/\?/g, '').trim(), args: '', start: i, end });
      mask(i, end);
    } else {
      // `files = !ls` and `out = %sx ls`: the right-hand side is a magic
      const m = /^[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*(?=[!%])/.exec(line);
      if (m) {
        const from = i + m[0].length;
        const body = source.slice(from, end);
        const { command, args } = splitCommand(body.slice(1));
        magics.push({ kind: body[0] === '%' ? 'line' : 'shell', command, args, start: from, end });
        mask(from, end);
      }
    }
  }
  return { python: magics.length ? chars.join('') : source, magics };
}

function splitCommand(s: string): { command: string; args: string } {
  const m = /^\s*([^\s]*)\s*([\s\S]*)$/.exec(s);
  return { command: m ? m[1] : '', args: m ? m[2].trim() : '' };
}

/**
 * Offsets where a logical line starts at bracket depth 0 outside strings: the places where
 * IPython would look for an escape character.
 */
function logicalLineStarts(source: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let quote: string | null = null; // "'", '"', "'''" or '"""'
  let atLineStart = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (atLineStart) {
      if (quote === null && depth === 0) starts.push(i);
      atLineStart = false;
    }
    if (quote) {
      if (c === '\\') {
        i++;
        continue;
      }
      if (source.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      } else if ((c === '\n' || c === '\r') && quote.length === 1) {
        quote = null; // unterminated single-quoted string ends at the line break
        if (c === '\r' && source[i + 1] === '\n') i++;
        atLineStart = true;
      } else if (c === '\n' || (c === '\r' && source[i + 1] !== '\n')) atLineStart = true;
      continue;
    }
    if (c === '#') {
      while (i + 1 < source.length && source[i + 1] !== '\n' && source[i + 1] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      quote = source.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
      i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 2 : 1; // explicit continuation
    } else if (c === '\n' || (c === '\r' && source[i + 1] !== '\n')) atLineStart = true;
  }
  return starts;
}
