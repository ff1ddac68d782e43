import { LineIndex } from './lines';

/**
 * A stretch of text with its own coordinates: a whole file, or one notebook cell.
 * Findings and edits are expressed in unit coordinates; `toFileOffset` maps them back to
 * the raw text of the file they came from (identity for plain files, the JSON string map
 * for notebook cells).
 */
export class TextUnit {
  readonly lines: LineIndex;

  constructor(
    readonly text: string,
    readonly cell: number | undefined,
    private readonly fileOffsets?: (offset: number) => number,
  ) {
    this.lines = new LineIndex(text);
  }

  toFileOffset(offset: number): number {
    return this.fileOffsets ? this.fileOffsets(offset) : offset;
  }
}
