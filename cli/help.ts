import { FAIL_ON, FORMATS, type CommandName } from './args';
import { VERSION } from './version';

/** Help texts: short, with the exit codes, since CI scripts depend on them. */
const MAIN = `mlready ${VERSION} — lints ML projects (Python, notebooks, pipeline YAML, requirements) for production readiness

Usage:
  mlready check [PATH] [options]   analyse a project folder or a single file (default: .)
  mlready report [PATH] [--format markdown|html] [--output FILE]
                                   a shareable readiness report (score, practices, gaps, findings)
  mlready rules [--format text|json]
  mlready explain CODE             print a rule's documentation (e.g. mlready explain P101)
  mlready --help | --version

Run \`mlready check --help\` for the options of check. Rules: https://github.com/mlready/mlready/tree/main/docs/rules

Environment:
  NO_COLOR=1       no colours (colours are only used when the output is a terminal)
  FORCE_COLOR=1    colours even when the output is not a terminal (CI logs that render them)
  MLREADY_DEBUG=1  print the stack trace of an internal error
`;

const CHECK = `Usage: mlready check [PATH] [options]

Analyses PATH (a folder, or a single file; default: the current folder) and reports findings.

Options:
  -f, --format FORMAT    ${FORMATS.join(' | ')} (default: text)
                         text: for people, 1-based positions; json: the stable contract (0-based);
                         sarif: GitHub code scanning; markdown: job summary / PR comment;
                         github: Actions annotations; gitlab: Code Quality; junit: JUnit XML
      --fail-on LEVEL    ${FAIL_ON.join(' | ')} (default: error): exit 1 when a finding
                         is at this severity or above
  -c, --config FILE      use this mlready.yaml instead of the one at PATH's root
  -o, --output FILE      write the report to FILE instead of standard output
      --fix              apply safe fixes to the files (repeated until nothing changes)
      --unsafe-fixes     with --fix, also apply fixes that may change behaviour, including
                         those that write new files (a data contract generated from a sample);
                         an existing file is never overwritten
  -q, --quiet            print findings only, without summary lines
      --no-color         no colours (also when NO_COLOR is set; colours only on a terminal)
  -j, --jobs N           analyse files in N threads (default: two for every three cores, at most 4);
                         the report is the same whatever N

In sarif, github, gitlab and junit reports, paths are relative to the current folder when PATH
lies inside it (CI runs at the repository root), otherwise relative to PATH.

Exit codes: 0 no finding reaches --fail-on · 1 a finding does · 2 usage or internal error.
`;

const REPORT = `Usage: mlready report [PATH] [options]

Writes a shareable readiness report of PATH: the score and how it is made (categories, practices
met or missing, the ML Test Score view), the top gaps, the inline suppressions with their reasons,
and the findings per file. The HTML report is self-contained (inline CSS and chart, no script).

Options:
  -f, --format FORMAT    markdown | html (default: markdown)
  -c, --config FILE      use this mlready.yaml instead of the one at PATH's root
  -o, --output FILE      write the report to FILE instead of standard output

Exit codes: 0 report written · 2 usage or internal error.
`;

const RULES = `Usage: mlready rules [--format text|json]

Lists every rule: code, name, category, default severity and whether it has a fix.
`;

const EXPLAIN = `Usage: mlready explain CODE

Prints the documentation of a rule, given by code (P101) or name (hardcoded-user-path).
`;

export function helpText(topic?: CommandName): string {
  switch (topic) {
    case 'check':
      return CHECK;
    case 'report':
      return REPORT;
    case 'rules':
      return RULES;
    case 'explain':
      return EXPLAIN;
    default:
      return MAIN;
  }
}
