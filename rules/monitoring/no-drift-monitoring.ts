import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { TAG } from './collector';

const OPTIONS =
  'Evidently or whylogs profiles of requests and predictions, NannyML performance estimation, alibi-detect or deepchecks drift checks, a Great Expectations checkpoint on live data, or the platform\'s monitor (SageMaker Model Monitor, Azure ML data drift, Vertex AI Model Monitoring)';

export default defineRule({
  code: 'M105',
  name: 'no-drift-monitoring',
  category: 'monitoring',
  severity: 'warning',
  appliesTo: ['workspace'],
  docs: {
    summary: 'The project serves a model, but nothing monitors its inputs or predictions over time for drift or data quality. Reported once, on the serving entry point.',
    why:
      'A model is trained on yesterday\'s data and served on today\'s. When the live inputs drift (a new customer segment, an upstream schema change, a broken feature pipeline) the model keeps answering, with confidence, and its quality degrades silently: request metrics stay green while the predictions go wrong. Drift and data-quality monitoring compares live data with the training data and raises the alarm before the business notices. The project counts as monitored when any file uses Evidently, whylogs, NannyML, alibi-detect, deepchecks, frouros, a Great Expectations checkpoint, SageMaker Model Monitor, Azure ML data drift or Vertex AI Model Monitoring, when a dependency list declares one of them, or when `allow.monitoring` in mlready.yaml names the library the project uses.',
    example: '# app/serve.py\n@app.post("/predict")\ndef predict(features: Features):\n    return {"score": model.predict_proba([features.values()])[0][1]}\n\n# … and no monitoring anywhere in the project',
    useInstead:
      'import whylogs as why\n\nprofiles = why.logger(mode="rolling", interval=1, when="H", base_name="predict-inputs")\nprofiles.append_writer("local", base_dir="profiles")\n\n\n@app.post("/predict")\ndef predict(features: Features):\n    row = pd.DataFrame([features.model_dump()])\n    profiles.log(row)\n    return {"score": model.predict_proba(row)[0][1]}',
    language: 'python',
  },
  checkWorkspace(ctx) {
    const serving = ctx.facts.tagged(TAG.serves).filter((t) => !isTestPath(ctx.config, t.file.path));
    if (!serving.length || ctx.facts.hasTag(TAG.drift)) return;
    if (ctx.config.allow.monitoring.some((m) => ctx.facts.importsAnywhere(m))) return;
    const withLocation = serving.filter((t) => t.locations.length);
    const entry = withLocation.find((t) => t.file.kind === 'python') ?? withLocation[0];
    const where = entry ? ` (\`${entry.file.path}\`)` : '';
    ctx.report({
      message: `The project serves a model${where} but nothing monitors its inputs or predictions over time: when live data drifts from the training data, quality degrades silently while the service stays green. Add drift or data-quality monitoring: ${OPTIONS}.`,
      location: entry?.locations[0],
    });
  },
});
