import { TextUnit } from '../core/units';

/**
 * pip requirements files (`requirements*.txt`, `constraints*.txt`). Their grammar is line based
 * (pip's own parser reads them line by line), with `\` continuations, `#` comments, options such as
 * `-r other.txt`, and PEP 508 requirement strings.
 */

export interface Requirement {
  name: string;
  /** Offsets of the name and of the whole requirement string in the file. */
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
  /** The version specifier as written, e.g. `==1.2.3`, `>=1.0,<2`; empty when absent. */
  specifier: string;
  /** Pinned to one version (`==` without wildcard, or `===`). */
  pinned: boolean;
  /** Installed from a URL, a path or VCS: pinning is by commit or file, not by version. */
  direct: boolean;
  hashes: boolean;
}

export interface RequirementsModel {
  unit: TextUnit;
  requirements: Requirement[];
  /** Included files (`-r`, `-c`). */
  includes: string[];
}

export function parseRequirements(text: string): RequirementsModel {
  const unit = new TextUnit(text, undefined);
  const requirements: Requirement[] = [];
  const includes: string[] = [];
  const lines = unit.lines;
  for (let line = 0; line < lines.lineCount; line++) {
    let start = lines.lineStart(line);
    let content = lines.lineText(line);
    const firstLine = line;
    while (content.endsWith('\\') && line + 1 < lines.lineCount) {
      line++;
      content = content.slice(0, -1) + ' '.repeat(lines.lineStart(line) - (lines.lineStart(firstLine) + content.length)) + lines.lineText(line);
    }
    const hash = content.search(/(^|\s)#/);
    if (hash >= 0) content = content.slice(0, hash);
    const lead = content.length - content.trimStart().length;
    const body = content.trim();
    if (!body) continue;
    start += lead;
    if (body.startsWith('-')) {
      const inc = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(body);
      if (inc) includes.push(inc[1]);
      const editable = /^(?:-e|--editable)\s+(\S+)/.exec(body);
      if (editable) requirements.push(directRequirement(editable[1], start + editable[0].length - editable[1].length, body));
      continue;
    }
    const hashes = /--hash[=\s]/.test(body);
    const spec = body.split(/\s+--/)[0].trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(spec);
    if (!m || /^(https?:|file:|(git|hg|svn|bzr)\+)|^[./]/.test(spec)) {
      requirements.push(directRequirement(spec, start, spec));
      continue;
    }
    const name = m[1];
    const rest = m[3].split(';')[0].trim();
    const isDirect = rest.startsWith('@');
    const specifier = isDirect ? '' : rest.replace(/^\(|\)$/g, '').replace(/\s+/g, '');
    // `name @ url` is pinned by a commit or a hash in the URL, like any direct reference
    const pinned = isDirect ? isPinnedReference(rest) : /^===?[^,*]+$/.test(specifier) && !specifier.includes('*');
    requirements.push({ name, nameStart: start, nameEnd: start + name.length, start, end: start + spec.length, specifier, pinned, direct: isDirect, hashes });
  }
  return { unit, requirements, includes };
}

function directRequirement(spec: string, start: number, body: string): Requirement {
  const egg = /#egg=([A-Za-z0-9._-]+)/.exec(body);
  const name = egg ? egg[1] : spec;
  return { name, nameStart: start, nameEnd: start + spec.length, start, end: start + spec.length, specifier: '', pinned: isPinnedReference(spec), direct: true, hashes: false };
}

/** A VCS reference at a full commit (`@<40 hex>`), or a file checked by its hash (`#sha256=…`). */
function isPinnedReference(ref: string): boolean {
  return /@[0-9a-f]{40}\b/.test(ref) || /#sha(256|384|512)=[0-9a-f]+/i.test(ref);
}
