// dist/server.js: runs the language server bundle with a V8 code cache (common/code-cache.ts);
// the cache is written once the server has linted for a while, when most of its code is compiled
import * as path from 'path';
import { runBundle } from '../code-cache';

runBundle(path.join(__dirname, 'server-bundle.js'), { writeAfterMs: 10_000 });
