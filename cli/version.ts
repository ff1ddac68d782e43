import pkg from '../package.json';

/** mlready's version, from package.json (inlined by esbuild into the bundle). */
export const VERSION: string = pkg.version;
