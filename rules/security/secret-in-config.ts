import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { isTestPath } from '../core/config';
import { maskSecret } from '../core/mask';
import { defineRule, type FixSpec, type RuleContext } from '../core/rule';
import type { YamlKind } from '../documents/yaml-kind';
import { yget, ygetIn, yitems, yscalars, ystring, type YamlPath } from '../documents/yaml-nodes';
import { isBlock, isFormatKind } from './python-secrets';
import { describeSecret, envNameFromName, findSecretsInNamedValue, isPlaceholder, type SecretMatch } from './secrets';

/** Kinds whose env entries are Kubernetes `EnvVar`s, where `valueFrom.secretKeyRef` exists. */
const K8S_ENV_KINDS = new Set<YamlKind>(['kubernetes', 'argo', 'kubeflow']);

interface ConfigSecret {
  match: SecretMatch;
  scalar: Scalar;
  path: YamlPath;
  name?: string;
  start: number;
  end: number;
  fix?: FixSpec;
  kubernetesSecret?: boolean;
}

function scalarSource(text: string, scalar: Scalar): { start: number; end: number; inner: number; exact: boolean } | undefined {
  if (!scalar.range || typeof scalar.value !== 'string') return undefined;
  const [start, end] = scalar.range;
  const source = text.slice(start, end);
  const inner = source.startsWith('"') || source.startsWith("'") ? 1 : 0;
  return { start, end, inner, exact: source.slice(inner, inner + scalar.value.length) === scalar.value };
}

/** Where in the file a match inside a scalar lies: exact when the scalar maps 1:1, else found by search, else the whole scalar. */
function locate(text: string, scalar: Scalar, m: SecretMatch): { start: number; end: number } {
  const src = scalarSource(text, scalar)!;
  const s = isBlock(m) ? m.spanStart : m.start;
  const e = isBlock(m) ? m.spanEnd : m.end;
  if (src.exact) return { start: src.start + src.inner + s, end: src.start + src.inner + e };
  const value = scalar.value as string;
  const needle = value.slice(s, e).split('\n')[0];
  const at = needle.length >= 8 ? text.slice(src.start, src.end).indexOf(needle) : -1;
  if (at >= 0) return { start: src.start + at, end: src.start + at + (isBlock(m) ? needle.length : e - s) };
  return { start: src.start, end: src.end };
}

function resourceName(root: unknown): string {
  const meta = yget(root, 'metadata');
  const name = ystring(yget(meta, 'name')) ?? ystring(yget(meta, 'generateName'))?.replace(/-+$/, '');
  return (name && /^[a-z0-9][a-z0-9.-]*$/.test(name) ? name : 'app').slice(0, 240);
}

/** `value: "…"` of a Kubernetes env entry rewritten to `valueFrom.secretKeyRef`, at the same indentation. */
function secretKeyRefFix(ctx: RuleContext, root: unknown, entry: unknown, envName: string, scalar: Scalar): FixSpec | undefined {
  if (!isMap(entry) || entry.flow) return undefined;
  const pair = entry.items.find((p) => isScalar(p.key) && p.key.value === 'value');
  const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
  if (!pair || pair.value !== scalar || !keyRange || !scalar.range) return undefined;
  const text = ctx.doc.text;
  const unit = ctx.doc.file;
  const line = unit.lines.lineOf(keyRange[0]);
  const col = keyRange[0] - unit.lines.lineStart(line);
  if (!/^[\s-]*$/.test(text.slice(unit.lines.lineStart(line), keyRange[0])) || unit.lines.lineOf(scalar.range[1]) !== line) return undefined;
  const indent = ' '.repeat(col);
  const secretName = `${resourceName(root)}-secrets`;
  const key = envName.toLowerCase().replace(/_/g, '-');
  return {
    title: `Read ${envName} from the Kubernetes Secret ${secretName} (valueFrom.secretKeyRef, key ${key})`,
    applicability: 'unsafe',
    edits: [{ unit, start: keyRange[0], end: scalar.range[1], newText: `valueFrom:\n${indent}  secretKeyRef:\n${indent}    name: ${secretName}\n${indent}    key: ${key}` }],
  };
}

function replaceScalarFix(ctx: RuleContext, scalar: Scalar, newText: string, title: string, onlyPart?: { start: number; end: number }): FixSpec | undefined {
  const src = scalarSource(ctx.doc.text, scalar);
  if (!src) return undefined;
  if (onlyPart) {
    if (!src.exact) return undefined;
    return { title, applicability: 'unsafe', edits: [{ unit: ctx.doc.file, start: src.start + src.inner + onlyPart.start, end: src.start + src.inner + onlyPart.end, newText }] };
  }
  const quoted = newText.includes('{') || newText.includes('$') ? `"${newText}"` : newText;
  return { title, applicability: 'unsafe', edits: [{ unit: ctx.doc.file, start: src.start, end: src.end, newText: quoted }] };
}

function configSecrets(ctx: RuleContext): ConfigSecret[] {
  const yaml = ctx.doc.yaml;
  if (!yaml) return [];
  const inTests = isTestPath(ctx.config, ctx.doc.path);
  const out: ConfigSecret[] = [];
  for (const { doc, kind } of yaml.documents) {
    const root = doc.contents;
    const isSecretManifest = kind === 'kubernetes' && ystring(yget(root, 'kind')) === 'Secret';
    // sealed or SOPS-encrypted values are ciphertext, made to be committed
    if (kind === 'kubernetes' && /^(SealedSecret|EncryptedSecret)$/.test(ystring(yget(root, 'kind')) ?? '')) continue;
    for (const { scalar, path } of yscalars(root)) {
      if (!isScalar(scalar) || typeof scalar.value !== 'string' || scalar.value.length < 4 || !scalar.range) continue;
      if (path[0] === 'sops' || path.includes('encryptedData')) continue;
      const value = scalar.value;
      const last = path[path.length - 1];
      const parentPath = path.slice(0, -1);
      const parent = ygetIn(root, parentPath);
      let name: string | undefined = typeof last === 'string' ? last : undefined;
      let valuePart: { start: number; end: number } | undefined;
      let envEntry = false;
      // `- name: DB_PASSWORD\n  value: …` (Kubernetes/Argo env, Argo parameters, KFP inputs)
      if (last === 'value' && isMap(parent)) {
        const n = ystring(yget(parent, 'name'));
        if (n) {
          name = n;
          envEntry = path[path.length - 3] === 'env';
        }
      }
      // compose/Actions style list items: `- DB_PASSWORD=…`; argument lists: `["--password", "…"]`
      if (typeof last === 'number') {
        const kv = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s.exec(value);
        if (kv) {
          name = kv[1];
          valuePart = { start: kv[1].length + 1, end: value.length };
        } else if (last > 0 && isSeq(parent)) {
          const prev = ystring(yitems(parent)[last - 1]);
          if (prev && /^--?[A-Za-z][A-Za-z0-9_-]*$/.test(prev)) name = prev;
        }
      }
      if (isSecretManifest && (path[0] === 'data' || path[0] === 'stringData') && path.length === 2) {
        const decoded = path[0] === 'data' ? Buffer.from(value, 'base64').toString('utf8') : value;
        if (!isPlaceholder(decoded) && !isPlaceholder(value)) {
          const m: SecretMatch = { kind: 'named-secret', label: `value of \`${String(last)}\` in a Kubernetes Secret manifest`, start: 0, end: value.length, secret: value, masked: maskSecret(value), spanStart: 0, spanEnd: value.length, envName: envNameFromName(String(last)), name: String(last) };
          const { start, end } = locate(ctx.doc.text, scalar, m);
          out.push({ match: m, scalar, path, name: String(last), start, end, kubernetesSecret: true });
        }
        continue;
      }
      const scanned = valuePart ? value.slice(valuePart.start) : value;
      let matches = findSecretsInNamedValue(name, scanned);
      if (valuePart) matches = matches.map((m) => ({ ...m, start: m.start + valuePart!.start, end: m.end + valuePart!.start, spanStart: m.spanStart + valuePart!.start, spanEnd: m.spanEnd + valuePart!.start }));
      if (inTests) matches = matches.filter(isFormatKind);
      for (const match of matches) {
        const { start, end } = locate(ctx.doc.text, scalar, match);
        const whole = match.start === (valuePart?.start ?? 0) && match.end === value.length;
        const envName = name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? envNameFromName(name) : match.envName;
        let fix: FixSpec | undefined;
        if (whole && matches.length === 1) {
          if (envEntry && K8S_ENV_KINDS.has(kind)) fix = secretKeyRefFix(ctx, root, parent, envName, scalar);
          else if (kind === 'github-actions' && (path[path.length - 2] === 'env' || path[path.length - 2] === 'with') && typeof last === 'string') {
            fix = replaceScalarFix(ctx, scalar, `\${{ secrets.${envName} }}`, `Read ${envName} from the repository's Actions secrets (\${{ secrets.${envName} }})`);
          } else if (kind === 'docker-compose' && path.includes('environment')) {
            fix = valuePart
              ? replaceScalarFix(ctx, scalar, `\${${envName}}`, `Take ${envName} from the shell environment or an untracked .env file (\${${envName}})`, valuePart)
              : replaceScalarFix(ctx, scalar, `\${${envName}}`, `Take ${envName} from the shell environment or an untracked .env file (\${${envName}})`);
          }
        }
        out.push({ match, scalar, path, name, start, end, fix });
      }
    }
  }
  return out;
}

export default defineRule({
  code: 'S103',
  name: 'secret-in-config',
  category: 'security',
  severity: 'error',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A YAML file holds a credential in clear: an inline `value:` of a Kubernetes/Argo env entry named like a secret, a password or key in a pipeline, CI or app config, a provider key or a password inside a URL anywhere in a value, or the data of a Kubernetes `Secret` manifest.',
    why:
      'Pipeline and deployment configs are committed, copied between environments and printed in CI logs; a credential written there is readable by everyone who can read the repository, and changing it means a code change and a redeploy. Base64 in a `Secret` manifest is an encoding, not encryption. References (`valueFrom.secretKeyRef`, `${{ secrets.X }}`, `${VAR}`, `{{ … }}`) and placeholders are not reported.',
    example: 'env:\n  - name: DB_PASSWORD\n    value: "S3cret-pass"',
    useInstead: 'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: fraud-db\n        key: password',
    fixSafety:
      'Unsafe: in Kubernetes, Argo and Kubeflow specs the `value:` becomes `valueFrom.secretKeyRef` naming a Secret `<resource>-secrets` and a key derived from the variable, which must exist before the pod starts; in GitHub Actions the value becomes `${{ secrets.NAME }}`, in Compose files `${NAME}`, which must be defined. Other configs have no automatic fix. Revoke the leaked value in any case.',
    language: 'yaml',
  },
  check(ctx) {
    const local = /(^|\/)conf\/local\//.test(ctx.doc.path);
    for (const s of configSecrets(ctx)) {
      const what = s.kubernetesSecret ? `${s.match.label} (\`${s.match.masked}\`)` : describeSecret(s.match);
      const named = s.name && !s.kubernetesSecret && s.match.kind === 'named-secret' ? ` given to \`${s.name}\`` : '';
      const advice = s.kubernetesSecret
        ? 'base64 is not encryption: commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead, and revoke the value.'
        : 'anyone who can read the config or its history can use it. Revoke it and reference a secret store instead.';
      ctx.report({
        unit: ctx.doc.file,
        start: s.start,
        end: s.end,
        message: `Hardcoded ${what}${named} in this config: ${advice}`,
        severity: local ? 'warning' : undefined,
        fixes: s.fix ? [s.fix] : [],
      });
    }
  },
});
