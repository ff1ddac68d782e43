import { defineRule } from '../core/rule';
import { DVC_STAGE_KEY, PARAMS_READ_KEY, type DvcStageFact, type ParamsReadFact } from './dvc';

/** A read key is declared when the stage lists it, a section above it, or the whole params file. */
function declared(key: string, params: string[]): boolean {
  for (const p of params) {
    const [file, k] = p.includes(':') ? [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)] : ['params.yaml', p];
    if (!/(^|\/)params\.ya?ml$/.test(file)) continue;
    if (k === '*' || key === k || key.startsWith(`${k}.`) || k.startsWith(`${key}.`)) return true;
  }
  return false;
}

export default defineRule({
  code: 'R132',
  name: 'dvc-undeclared-params',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['workspace'],
  docs: {
    summary:
      'A `dvc.yaml` stage runs a Python script that reads keys from `params.yaml` (`yaml.safe_load(open("params.yaml"))["train"]["lr"]`, `dvc.api.params_show()`) that the stage does not declare under `params:`.',
    why:
      'DVC re-runs a stage when a declared parameter changes. A parameter the script reads but the stage does not declare is invisible to DVC: changing the learning rate leaves the stage "up to date", the old model stays in place, and `dvc.lock` does not record the value that produced it. `dvc params diff` cannot show it either.',
    example: '# src/train.py\nparams = yaml.safe_load(open("params.yaml"))\nlr = params["train"]["lr"]\n\n# dvc.yaml\nstages:\n  train:\n    cmd: python src/train.py\n    deps: [src/train.py]',
    useInstead: 'stages:\n  train:\n    cmd: python src/train.py\n    deps: [src/train.py]\n    params:\n      - train.lr',
    language: 'yaml',
  },
  checkWorkspace(ctx) {
    const reads = ctx.facts.values<ParamsReadFact>(PARAMS_READ_KEY);
    for (const { value: stage } of ctx.facts.values<DvcStageFact>(DVC_STAGE_KEY)) {
      const missing: string[] = [];
      const scripts: string[] = [];
      for (const script of stage.scripts) {
        for (const { value: r } of reads) {
          if (r.script !== script) continue;
          const m = r.keys.filter((k) => !declared(k, stage.params));
          if (m.length) scripts.push(script);
          for (const k of m) if (!missing.includes(k)) missing.push(k);
        }
      }
      if (!missing.length) continue;
      const list = missing.map((k) => `\`${k}\``).join(', ');
      ctx.report({
        location: stage.location,
        message: `Stage \`${stage.stage}\` runs \`${scripts.join('`, `')}\`, which reads ${list} from params.yaml, but the stage's \`params:\` does not declare ${missing.length > 1 ? 'them' : 'it'}: changing ${missing.length > 1 ? 'them' : 'it'} will not re-run the stage. Add ${missing.map((k) => `\`- ${k}\``).join(', ')} under \`params:\`.`,
      });
    }
  },
});
