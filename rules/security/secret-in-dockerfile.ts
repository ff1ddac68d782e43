import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { dockerEnvAssignments, dockerInstructions } from './env-assignments';
import { isBlock, isFormatKind } from './python-secrets';
import { describeSecret, findSecretsInNamedValue, findSecretsInText, secretNameClass } from './secrets';

export default defineRule({
  code: 'S106',
  name: 'secret-in-dockerfile',
  category: 'security',
  severity: 'error',
  appliesTo: ['dockerfile'],
  docs: {
    summary: 'A Dockerfile bakes a credential into the image: an `ENV`/`ARG` with a secret-looking value, a secret passed as a build argument (`ARG HF_TOKEN`, `ENV HF_TOKEN=$HF_TOKEN`), or a key, token or URL password in a `RUN` command (`pip install --index-url https://user:token@…`, `curl -H "Authorization: …"`).',
    why:
      'Every `ENV` value and every build argument is stored in the image metadata (`docker history`, `docker inspect`), and every layer is readable by anyone who can pull the image. A training or serving image pushed to a registry carries the credential to every cluster and laptop that runs it.',
    example: 'ENV HF_TOKEN=hf_…\nRUN pip install --index-url https://ci:S3cret@pypi.internal/simple -r requirements.txt',
    useInstead:
      '# build secrets are mounted for one RUN and never stored in a layer\nRUN --mount=type=secret,id=pip_index_url \\\n    pip install --index-url "$(cat /run/secrets/pip_index_url)" -r requirements.txt\n# runtime secrets come from the orchestrator (Kubernetes Secret, ECS secrets …), not from ENV',
    language: 'text',
  },
  check(ctx) {
    if (ctx.doc.kind !== 'dockerfile') return;
    const text = ctx.doc.text;
    const inTests = isTestPath(ctx.config, ctx.doc.path);
    const keep = (m: { kind: string }) => !inTests || isFormatKind(m as never);
    for (const ins of dockerInstructions(text)) {
      if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
        // a secret passed through the build: `ARG HF_TOKEN` (given with --build-arg), `ENV HF_TOKEN=$HF_TOKEN`
        const declared = /^([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(ins.start, ins.end).replace(/\s+#.*$/, ''));
        const referenced = dockerEnvAssignments(text, ins).filter((a) => /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(a.value));
        const names = [...(declared && ins.keyword === 'ARG' ? [{ name: declared[1], nameStart: ins.start }] : []), ...referenced];
        for (const n of names) {
          if (!secretNameClass(n.name) || inTests) continue;
          ctx.report({
            unit: ctx.doc.file,
            start: n.nameStart,
            end: n.nameStart + n.name.length,
            severity: 'warning',
            message:
              ins.keyword === 'ARG'
                ? `\`ARG ${n.name}\` passes a secret as a build argument: its value is recorded in the image history (\`docker history\`) of every image built with it. Use a build secret (\`RUN --mount=type=secret,id=${n.name.toLowerCase()}\`) instead.`
                : `\`ENV ${n.name}\` copies a secret into the image configuration, readable by anyone who can pull the image. Pass it when the container starts (orchestrator secret, \`--env-file\`) instead.`,
          });
        }
      }
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG' || ins.keyword === 'LABEL') {
        for (const a of dockerEnvAssignments(text, ins)) {
          for (const m of findSecretsInNamedValue(ins.keyword === 'LABEL' ? null : a.name, a.value).filter(keep)) {
            const s = isBlock(m) ? m.spanStart : m.start;
            const e = isBlock(m) ? m.spanEnd : m.end;
            const [start, end] = a.exact ? [a.valueStart + s, a.valueStart + e] : [a.valueStart, a.valueEnd];
            ctx.report({
              unit: ctx.doc.file,
              start,
              end,
              message: `${describeSecret(m)} in \`${ins.keyword} ${a.name}\`: it is stored in the image metadata and readable by anyone who can pull the image. Pass it at run time from a secret store, or as a build secret (\`RUN --mount=type=secret\`), and revoke this one.`.replace(/^./, (c) => c.toUpperCase()),
            });
          }
        }
      } else if (ins.keyword === 'RUN' || ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT' || ins.keyword === 'HEALTHCHECK') {
        const body = text.slice(ins.start, ins.end);
        for (const m of findSecretsInText(body).filter(keep)) {
          const s = isBlock(m) ? m.spanStart : m.start;
          const e = isBlock(m) ? m.spanEnd : m.end;
          ctx.report({
            unit: ctx.doc.file,
            start: ins.start + s,
            end: ins.start + e,
            message: `${describeSecret(m)} in a \`${ins.keyword}\` instruction: the command line is kept in the image history and the layer. Use a build secret (\`RUN --mount=type=secret\`) and revoke this one.`.replace(/^./, (c) => c.toUpperCase()),
          });
        }
      }
    }
  },
});
