import type { Rule } from '../core/rule';
import chdirAbsolute from './chdir-absolute';
import hardcodedAbsolutePath from './hardcoded-absolute-path';
import hardcodedCloudUri from './hardcoded-cloud-uri';
import hardcodedHost from './hardcoded-host';
import hardcodedUserPath from './hardcoded-user-path';
import windowsDrivePath from './windows-drive-path';

export const portabilityRules: Rule[] = [hardcodedUserPath, hardcodedAbsolutePath, windowsDrivePath, chdirAbsolute, hardcodedHost, hardcodedCloudUri];
