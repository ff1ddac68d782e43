import type { Position } from 'vscode-languageserver/node';

/** Maps offsets of a text to LSP positions, keeping only the line starts (not the text itself). */
export interface PositionMapper {
  positionAt(offset: number): Position;
}

/** Line breaks as LSP counts them: \n, \r\n and a lone \r. */
export function lineStartsOf(text: string): PositionMapper {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  const table = Int32Array.from(starts);
  const length = text.length;
  return {
    positionAt(offset: number): Position {
      const o = Math.max(0, Math.min(offset, length));
      let lo = 0;
      let hi = table.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (table[mid] <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: o - table[lo] };
    },
  };
}
