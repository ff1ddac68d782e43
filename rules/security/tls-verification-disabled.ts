import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { dottedName, stringParts } from '../documents/python/syntax';
import { removeArgument } from './call-edits';

/** Keyword arguments that switch certificate checks off when given `False`. */
const VERIFY_KEYWORDS = new Set(['verify', 'verify_ssl', 'ssl_verify', 'verify_certs', 'check_hostname', 'ssl_check_hostname', 'validate_certs', 'tls_verify']);
/** Calls where `ssl=False` means "no certificate checks" (aiohttp). */
const AIOHTTP_SSL = /^aiohttp\.|(^|\.)(TCPConnector|ClientSession|get|post|put|patch|delete|head|options|request|ws_connect)$/;
/** Environment variables that disable verification for every client in the process. */
const INSECURE_ENV: Record<string, (v: string) => boolean> = {
  CURL_CA_BUNDLE: (v) => v === '',
  REQUESTS_CA_BUNDLE: (v) => v === '',
  PYTHONHTTPSVERIFY: (v) => v === '0',
  MLFLOW_TRACKING_INSECURE_TLS: (v) => /^(true|1|yes)$/i.test(v),
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  GIT_SSL_NO_VERIFY: (v) => /^(true|1|yes)$/i.test(v),
  HF_HUB_DISABLE_SSL_VERIFY: (v) => /^(true|1|yes)$/i.test(v),
};

function isCertNone(program: PythonProgram, node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === 'string') return stringParts(node).value === 'CERT_NONE';
  const q = program.resolve(node) ?? dottedName(node);
  return !!q && /(^|\.)CERT_NONE$/.test(q);
}

function lineStatementRemoval(unit: import('../documents/python/unit').PythonUnit, stmt: Node): FixSpec['edits'][number] | null {
  const lines = unit.lines;
  const first = lines.lineOf(stmt.startIndex);
  const last = lines.lineOf(stmt.endIndex);
  if (unit.text.slice(lines.lineStart(first), stmt.startIndex).trim() !== '') return null;
  const rest = unit.text.slice(stmt.endIndex, lines.lineEnd(last)).trim();
  if (rest && !rest.startsWith('#')) return null;
  const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : unit.text.length;
  return { unit, start: lines.lineStart(first), end, newText: '' };
}

export default defineRule({
  code: 'S120',
  name: 'tls-verification-disabled',
  category: 'security',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'Certificate verification is switched off: `verify=False` (requests, httpx, boto3, hvac, Elasticsearch …), `ssl=False` in aiohttp, `cert_reqs="CERT_NONE"`, `ssl._create_unverified_context()`, `check_hostname = False`, `verify_mode = CERT_NONE`, a session with `verify = False`, or environment variables such as `CURL_CA_BUNDLE=""` and `MLFLOW_TRACKING_INSECURE_TLS=true`.',
    why:
      'Without verification anyone on the network path can impersonate the server: feature stores, model registries and scoring APIs then receive and return data to an attacker, and credentials sent with the request are captured. It is usually added to get past a self-signed certificate once and then shipped. `urllib3.disable_warnings()` alone only hides warnings and is not reported; test folders are not checked.',
    example: 'rates = requests.get("https://fx.internal/rates", verify=False).json()',
    useInstead: 'rates = requests.get("https://fx.internal/rates", verify="/etc/ssl/certs/internal-ca.pem", timeout=10).json()',
    fixSafety:
      'Unsafe: removing `verify=False` (or using `ssl.create_default_context()`) restores verification against the system trust store, so calls to hosts with self-signed or internal certificates fail until their CA is configured (`verify="/path/ca.pem"`, `REQUESTS_CA_BUNDLE`).',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const call of program.calls()) {
      const q = call.qualified ?? call.callee ?? '';
      if (q === 'ssl._create_unverified_context') {
        const fn = call.node.childForFieldName('function')!;
        const obj = fn.type === 'attribute' ? fn.childForFieldName('object')?.text : undefined;
        ctx.report({
          unit: call.unit,
          start: call.node.startIndex,
          end: call.node.endIndex,
          message: '`ssl._create_unverified_context()` builds a TLS context that accepts any certificate: the connection can be intercepted. Use `ssl.create_default_context(cafile=…)` with the server\'s CA.',
          fixes: obj ? [{ title: 'Use ssl.create_default_context()', applicability: 'unsafe', edits: [{ unit: call.unit, start: fn.startIndex, end: fn.endIndex, newText: `${obj}.create_default_context` }] }] : [],
        });
        continue;
      }
      if (call.keywords.size === 0) continue; // the usual call: no keyword to look at
      for (const [kw, value] of call.keywords) {
        let off = false;
        if (VERIFY_KEYWORDS.has(kw) && value.type === 'false') off = true;
        else if (kw === 'ssl' && value.type === 'false' && AIOHTTP_SSL.test(q)) off = true;
        else if ((kw === 'cert_reqs' || kw === 'ssl_cert_reqs') && isCertNone(program, value)) off = true;
        if (!off) continue;
        const arg = value.parent!;
        const removal = kw === 'cert_reqs' || kw === 'ssl_cert_reqs' ? null : removeArgument(call.unit, call.node, arg);
        ctx.report({
          unit: call.unit,
          start: arg.startIndex,
          end: arg.endIndex,
          message: `\`${arg.text}\` in \`${call.callee ?? 'this call'}\` turns off certificate verification: anyone on the network path can impersonate the server and read or alter what is sent. Trust the server's CA instead (\`verify="/path/to/ca.pem"\`).`,
          fixes: removal ? [{ title: `Remove ${kw}=False (verify certificates)`, applicability: 'unsafe', edits: [removal] }] : [],
        });
      }
    }
    for (const { node, unit } of program.nodes('assignment')) {
      // only attributes and subscripts are settings: most assignments bind a name
      const left = node.childForFieldName('left');
      if (!left || (left.type !== 'attribute' && left.type !== 'subscript')) continue;
      const right = node.childForFieldName('right');
      if (!right) continue;
      let message: string | undefined;
      let fix: FixSpec | undefined;
      if (left.type === 'attribute') {
        const attr = left.childForFieldName('attribute')?.text;
        // resolving keeps the last name: only this attribute can be the process-wide default
        const target = attr === '_create_default_https_context' ? (program.resolve(left) ?? dottedName(left)) : null;
        if (target === 'ssl._create_default_https_context') {
          const q = program.resolve(right) ?? dottedName(right);
          if (q === 'ssl._create_unverified_context') {
            message = 'Replacing `ssl._create_default_https_context` with the unverified context turns certificate checks off for every HTTPS connection of the process (urllib, downloads of datasets and weights).';
            const stmt = node.parent?.type === 'expression_statement' ? node.parent : node;
            const removal = lineStatementRemoval(unit, stmt);
            if (removal) fix = { title: 'Remove the process-wide override', applicability: 'unsafe', edits: [removal] };
          }
        } else if ((attr === 'verify' || attr === 'check_hostname') && right.type === 'false') {
          message = `\`${left.text} = False\` turns off certificate verification for every request made through \`${left.childForFieldName('object')?.text}\`.`;
        } else if (attr === 'verify_mode' && isCertNone(program, right)) {
          message = `\`${left.text} = CERT_NONE\` accepts any certificate: the connection can be intercepted.`;
        }
      } else if (left.type === 'subscript') {
        const obj = left.childForFieldName('value');
        const key = left.childForFieldName('subscript');
        const name = key?.type === 'string' ? stringParts(key).value : null;
        const v = right.type === 'string' ? stringParts(right).value : null;
        // the receiver last: most subscript assignments write no string
        if (name && v !== null && INSECURE_ENV[name]?.(v) && (program.resolve(obj) ?? dottedName(obj)) === 'os.environ') {
          message = `Setting \`${name}\` to \`${JSON.stringify(v)}\` turns off certificate verification for every client in the process that reads it.`;
        }
      }
      if (!message) continue;
      ctx.report({ unit, start: node.startIndex, end: node.endIndex, message: `${message} Trust the server's CA instead.`, fixes: fix ? [fix] : [] });
    }
  },
});
