/**
 * `KEY=VALUE` assignments of `.env` files (the syntax python-dotenv and Docker Compose read) and of
 * Dockerfile `ENV`/`ARG` instructions. The engine gives these files to rules as plain text; this is
 * their small line grammar: `export`, quotes, `#` comments, escapes in double quotes, values
 * spanning lines inside quotes, and `\` continuations in Dockerfiles.
 */

export interface EnvAssignment {
  name: string;
  nameStart: number;
  /** The value as the program sees it (quotes removed, escapes decoded in double quotes). */
  value: string;
  /** Offsets of the value's text in the file, without quotes. */
  valueStart: number;
  valueEnd: number;
  /** The value's text in the file is the value itself (no escapes), so offsets inside it map 1:1. */
  exact: boolean;
}

function readValue(text: string, at: number, lineEnd: number, unquotedStops: RegExp): { value: string; start: number; end: number; next: number; exact: boolean } {
  const q = text[at];
  if (q === '"' || q === "'") {
    let i = at + 1;
    let value = '';
    let exact = true;
    while (i < text.length && text[i] !== q) {
      if (q === '"' && text[i] === '\\' && i + 1 < text.length) {
        const e = text[i + 1];
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        exact = false;
        i += 2;
        continue;
      }
      value += text[i++];
    }
    return { value, start: at + 1, end: i, next: Math.min(text.length, i + 1), exact };
  }
  let i = at;
  while (i < lineEnd && !unquotedStops.test(text.slice(i, i + 2))) i++;
  const raw = text.slice(at, i);
  const value = raw.trimEnd();
  return { value, start: at, end: at + value.length, next: i, exact: true };
}

/** Assignments of a `.env` file. */
export function parseDotenv(text: string): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/gm;
  let resumeAt = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index < resumeAt) continue;
    const valueAt = m.index + m[0].length;
    let lineEnd = text.indexOf('\n', valueAt);
    if (lineEnd < 0) lineEnd = text.length;
    const v = readValue(text, valueAt, lineEnd, /^[ \t]#|^\r/);
    out.push({ name: m[1], nameStart: m.index + m[0].indexOf(m[1]), value: v.value, valueStart: v.start, valueEnd: v.end, exact: v.exact });
    resumeAt = v.next;
    re.lastIndex = Math.max(re.lastIndex, v.next);
  }
  return out;
}

export interface DockerInstruction {
  keyword: string;
  /** Offsets of the instruction's arguments (after the keyword), continuation lines included. */
  start: number;
  end: number;
}

/** Dockerfile instructions, with `\` continuations joined (offsets stay those of the file). */
export function dockerInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const re = /^[ \t]*([A-Za-z]+)[ \t]+/gm;
  let resumeAt = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index < resumeAt || text.slice(m.index).trimStart().startsWith('#')) continue;
    const start = m.index + m[0].length;
    let end = start;
    for (;;) {
      let lineEnd = text.indexOf('\n', end);
      if (lineEnd < 0) lineEnd = text.length;
      const line = text.slice(end, lineEnd).replace(/\r$/, '');
      end = lineEnd;
      if (!/\\\s*$/.test(line) || lineEnd >= text.length) break;
      end = lineEnd + 1;
    }
    out.push({ keyword: m[1].toUpperCase(), start, end: text[end - 1] === '\r' ? end - 1 : end });
    resumeAt = end;
    re.lastIndex = Math.max(re.lastIndex, end);
  }
  return out;
}

/** `ENV A=1 B="two words"`, `ENV A 1` (legacy form), `ARG TOKEN=…`. */
export function dockerEnvAssignments(text: string, ins: DockerInstruction): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const body = text.slice(ins.start, ins.end);
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]+(?!=)(\S.*)$/s.exec(body);
  if (legacy && !legacy[1].includes('=') && ins.keyword === 'ENV' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(body)) {
    const valueAt = ins.start + legacy[0].length - legacy[2].length;
    const v = readValue(text, valueAt, ins.end, /^$/);
    out.push({ name: legacy[1], nameStart: ins.start, value: v.value.trim(), valueStart: v.start, valueEnd: v.start + v.value.trim().length, exact: v.exact });
    return out;
  }
  const re = /(?:^|[ \t\\\n\r]+)([A-Za-z_][A-Za-z0-9_]*)=/g;
  let i = 0;
  while (i < body.length) {
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) break;
    const valueAt = ins.start + m.index + m[0].length;
    const v = readValue(text, valueAt, ins.end, /^[ \t\\]/);
    out.push({ name: m[1], nameStart: ins.start + m.index + m[0].indexOf(m[1]), value: v.value, valueStart: v.start, valueEnd: v.end, exact: v.exact });
    i = Math.max(v.next - ins.start, m.index + m[0].length);
  }
  return out;
}
