// dist/cli.js: runs the CLI bundle with a V8 code cache (common/code-cache.ts)
import * as path from 'path';
import { runBundle } from '../code-cache';

// A scan runs each rule's code over and over for a few seconds, then the process ends: TurboFan's
// inlining cost more to compile than it saved (100k lines on one job: 2.97 -> 2.67 s, 4.4 -> 3.5 s
// of CPU, since its compiler threads share the cores with the analysis). The flag is the process's,
// so analysis workers have it too. The language server, which lints the same code for hours, keeps it.
runBundle(path.join(__dirname, 'cli-bundle.js'), { v8Flags: ['--no-turbo-inlining'] });
