import { TextUnit } from '../core/units';

/**
 * Dockerfiles (and Containerfiles). The grammar is line based, as in BuildKit's own parser:
 * parser directives (`# escape=\``) on the first lines, then instructions of one keyword and its
 * arguments; a line ending with the escape character continues on the next one, and comment lines
 * and blank lines inside a continued instruction are dropped. Heredocs (`RUN <<EOF … EOF`) carry
 * the lines up to their delimiter. Every character of an instruction's arguments keeps its offset
 * in the file, so a rule can point at one word of a continued `RUN` line.
 */

export interface DockerHeredoc {
  delimiter: string;
  /** The body as written (between the instruction line and the delimiter line). */
  body: string;
  bodyStart: number;
  bodyEnd: number;
}

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY … */
  keyword: string;
  keywordStart: number;
  keywordEnd: number;
  /** Offsets of the whole instruction in the file (keyword to the end of its last line). */
  start: number;
  end: number;
  /** The arguments as Docker reads them: continuations joined, comment lines dropped, trimmed. */
  args: string;
  /** File offset of each character of `args`, plus one entry for its end. */
  argOffsets: number[];
  heredocs: DockerHeredoc[];
}

export interface DockerfileProblem {
  message: string;
  start: number;
  end: number;
}

export interface DockerfileModel {
  unit: TextUnit;
  escape: string;
  instructions: DockerInstruction[];
  problems: DockerfileProblem[];
}

const MAX_INSTRUCTION_LINES = 10_000;

export function parseDockerfile(text: string): DockerfileModel {
  const unit = new TextUnit(text, undefined);
  const lines = unit.lines;
  const problems: DockerfileProblem[] = [];
  const instructions: DockerInstruction[] = [];
  let escape = '\\';

  // parser directives: only at the very top, before any instruction, comment or blank line
  let line = 0;
  for (; line < lines.lineCount; line++) {
    const m = /^\s*#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(lines.lineText(line));
    if (!m) break;
    if (m[1].toLowerCase() === 'escape') {
      if (m[2] === '`' || m[2] === '\\') escape = m[2];
      else problems.push({ message: `Invalid escape directive "${m[2]}": it must be \\ or \`.`, start: lines.lineStart(line), end: lines.lineEnd(line) });
    }
  }

  const isComment = (t: string) => /^\s*#/.test(t);
  const continues = (t: string) => {
    return t.replace(/[ \t]+$/, '').endsWith(escape);
  };

  while (line < lines.lineCount) {
    const raw = lines.lineText(line);
    if (raw.trim() === '' || isComment(raw)) {
      line++;
      continue;
    }
    const lineStart = lines.lineStart(line);
    const lead = raw.length - raw.trimStart().length;
    const kw = /^[A-Za-z]+/.exec(raw.slice(lead));
    if (!kw) {
      problems.push({ message: 'A Dockerfile line must start with an instruction keyword.', start: lineStart + lead, end: lines.lineEnd(line) });
      line++;
      continue;
    }
    const keywordStart = lineStart + lead;
    const keywordEnd = keywordStart + kw[0].length;
    let args = '';
    const offsets: number[] = [];
    const append = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        args += text[i];
        offsets.push(i);
      }
    };
    let end = lines.lineEnd(line);
    let segmentStart = keywordEnd;
    let count = 0;
    for (;;) {
      const lineEnd = lines.lineEnd(line);
      const content = text.slice(segmentStart, lineEnd);
      if (continues(content) && line + 1 < lines.lineCount && count < MAX_INSTRUCTION_LINES) {
        const cut = content.replace(/[ \t]+$/, '').length - escape.length;
        append(segmentStart, segmentStart + cut);
        end = lineEnd;
        line++;
        count++;
        // comment lines and empty lines inside a continuation are skipped
        while (line < lines.lineCount && (isComment(lines.lineText(line)) || lines.lineText(line).trim() === '')) line++;
        if (line >= lines.lineCount) break;
        segmentStart = lines.lineStart(line);
        continue;
      }
      append(segmentStart, lineEnd);
      end = lineEnd;
      line++;
      break;
    }
    // trim the arguments, keeping the offsets aligned
    let a = 0;
    let b = args.length;
    while (a < b && /\s/.test(args[a])) a++;
    while (b > a && /\s/.test(args[b - 1])) b--;
    const trimmedArgs = args.slice(a, b);
    const argOffsets = offsets.slice(a, b);
    argOffsets.push(b > a ? offsets[b - 1] + 1 : end);

    // heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"`; their bodies follow the instruction line
    const heredocs: DockerHeredoc[] = [];
    for (const m of trimmedArgs.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
      const delimiter = m[3];
      const stripTabs = m[1] === '-';
      const bodyStart = line < lines.lineCount ? lines.lineStart(line) : text.length;
      let bodyEnd = bodyStart;
      let closed = false;
      while (line < lines.lineCount) {
        const t = lines.lineText(line);
        if ((stripTabs ? t.replace(/^\t+/, '') : t) === delimiter) {
          end = lines.lineEnd(line);
          line++;
          closed = true;
          break;
        }
        bodyEnd = lines.lineEnd(line);
        line++;
      }
      if (!closed) {
        problems.push({ message: `Heredoc <<${delimiter} is never closed.`, start: keywordStart, end: keywordEnd });
        end = bodyEnd;
      }
      heredocs.push({ delimiter, body: text.slice(bodyStart, bodyEnd), bodyStart, bodyEnd });
    }

    instructions.push({ keyword: kw[0].toUpperCase(), keywordStart, keywordEnd, start: keywordStart, end, args: trimmedArgs, argOffsets, heredocs });
  }
  return { unit, escape, instructions, problems };
}

/** The exec form of an instruction (`["pip", "install", "x"]`), or null for the shell form. */
export function execForm(instruction: DockerInstruction): string[] | null {
  const a = instruction.args;
  if (!a.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(a);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

export interface DockerFrom {
  image: string;
  /** Offsets of the image reference in the file. */
  imageStart: number;
  imageEnd: number;
  /** The stage name given with `AS name`. */
  stage?: string;
  platform?: string;
}

/** `FROM [--platform=…] image [AS name]`. */
export function parseFrom(instruction: DockerInstruction): DockerFrom | null {
  if (instruction.keyword !== 'FROM') return null;
  const words = splitWords(instruction);
  let i = 0;
  let platform: string | undefined;
  while (i < words.length && words[i].text.startsWith('--')) {
    const m = /^--platform=(.*)$/.exec(words[i].text);
    if (m) platform = m[1];
    i++;
  }
  const image = words[i];
  if (!image) return null;
  const as = words[i + 1]?.text.toLowerCase() === 'as' ? words[i + 2]?.text : undefined;
  return { image: image.text, imageStart: image.start, imageEnd: image.end, stage: as, platform };
}

/** Whitespace-separated words of the arguments with their file offsets (no shell quoting). */
export function splitWords(instruction: DockerInstruction): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (const m of instruction.args.matchAll(/\S+/g)) {
    const i = m.index ?? 0;
    out.push({ text: m[0], start: instruction.argOffsets[i], end: instruction.argOffsets[i + m[0].length - 1] + 1 });
  }
  return out;
}

/** The file offset of a position in an instruction's arguments (its end maps to the end of the last character). */
export function argOffset(instruction: DockerInstruction, index: number): number {
  const i = Math.max(0, Math.min(index, instruction.args.length));
  if (i === instruction.args.length && i > 0) return instruction.argOffsets[i - 1] + 1;
  return instruction.argOffsets[i];
}
