// dist/worker.js: runs the analysis worker bundle with a V8 code cache (common/code-cache.ts)
import * as path from 'path';
import { runBundle } from '../code-cache';

runBundle(path.join(__dirname, 'worker-bundle.js'), { writeAfterMs: 3_000 });
