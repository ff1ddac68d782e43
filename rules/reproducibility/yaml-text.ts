import type { Scalar } from 'yaml';

/**
 * Where each character of a YAML string scalar's value sits in the file, so that one word of a
 * multi-line `run: |` block can be reported on its own line. Plain, quoted (without escapes) and
 * block scalars map line by line; anything else (escapes, folded plain scalars that do not match)
 * returns null and the caller reports the whole scalar.
 */
export function scalarOffsets(text: string, scalar: Scalar): ((index: number) => number) | null {
  if (typeof scalar.value !== 'string' || !scalar.range) return null;
  const value = scalar.value;
  const [start, end] = scalar.range;
  const source = text.slice(start, end);
  const type = scalar.type;
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' || type === 'PLAIN') {
    const inner = type === 'PLAIN' ? 0 : 1;
    if (source.slice(inner, inner + value.length) === value) return (i) => start + inner + i;
    if (type !== 'PLAIN') return null;
  }
  // block scalars (and multi-line plain ones): match the source's lines, in order, inside the value
  const segments: { from: number; to: number; offset: number }[] = [];
  let cursor = 0;
  let lineStart = 0;
  const lines = source.split('\n');
  const firstIsHeader = type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED';
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k].replace(/\r$/, '');
    const at = start + lineStart;
    lineStart += lines[k].length + 1;
    if (k === 0 && firstIsHeader) continue;
    const lead = raw.length - raw.trimStart().length;
    const content = raw.trim();
    if (!content) continue;
    const found = value.indexOf(content, cursor);
    if (found < 0) return null;
    segments.push({ from: found, to: found + content.length, offset: at + lead });
    cursor = found + content.length;
  }
  if (!segments.length) return null;
  return (i) => {
    for (const s of segments) if (i >= s.from && i <= s.to) return s.offset + (i - s.from);
    const before = segments.filter((s) => s.to <= i).pop();
    return before ? before.offset + (before.to - before.from) : segments[0].offset;
  };
}
