import { version } from '../package.json';

/**
 * mlready's version, from package.json. A named import, so esbuild inlines this one field into the
 * bundle rather than the whole manifest.
 */
export const VERSION: string = version;
