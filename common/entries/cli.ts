// dist/cli.js: runs the CLI bundle with a V8 code cache (common/code-cache.ts)
import * as path from 'path';
import { runBundle } from '../code-cache';

runBundle(path.join(__dirname, 'cli-bundle.js'));
