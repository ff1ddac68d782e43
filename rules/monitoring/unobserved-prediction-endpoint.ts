import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { pythonStringLiteral, statementOf } from '../documents/python/syntax';
import { TAG } from './collector';
import { insertAfter, moduleBlock, rewriteStatement, wrapStatement } from './edits';
import { moduleLogger } from './logging';
import { nameOf, scopeOf, scopesOf } from './scopes';
import { FRAMEWORK_TITLE, PLATFORM_METRICS, servingOf, type Handler, type ServingAnalysis } from './serving';

/** Frameworks where a prometheus_client histogram and counter are scraped (BentoML exports the default registry). */
const PROMETHEUS = new Set(['fastapi', 'flask', 'starlette', 'quart', 'sanic', 'litestar', 'bentoml']);

export default defineRule({
  code: 'M104',
  name: 'unobserved-prediction-endpoint',
  category: 'monitoring',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A prediction endpoint (FastAPI, Flask, Starlette route; BentoML, Ray Serve, KServe, Seldon or Triton model class; SageMaker or Azure ML scoring script) calls a model but logs nothing and records no metrics.',
    why:
      'Once deployed, the endpoint is the only place where the model meets real traffic. Without a latency histogram, a request counter and a log line per prediction, nobody sees the model slowing down, failing or drifting until users complain, and there is no record to investigate afterwards. An endpoint counts as observed when it (or a helper it calls) logs or records a metric (prometheus_client, OpenTelemetry, StatsD/Datadog, CloudWatch), or when the app is instrumented as a whole (prometheus-fastapi-instrumentator, prometheus-flask-exporter, OpenTelemetry instrumentors, a logging middleware, ddtrace). Serving platforms time requests on their own, so there the finding is informational and asks for a record of the predictions.',
    example:
      '@app.post("/predict")\ndef predict(features: Features):\n    score = model.predict_proba([features.values()])[0][1]\n    return {"score": score}',
    useInstead:
      'log = logging.getLogger(__name__)\nPREDICTION_LATENCY = Histogram("prediction_latency_seconds", "Time to compute a prediction", ["endpoint"])\nPREDICTIONS = Counter("predictions_total", "Predictions served", ["endpoint"])\napp.mount("/metrics", make_asgi_app())\n\n\n@app.post("/predict")\ndef predict(features: Features):\n    with PREDICTION_LATENCY.labels(endpoint="/predict").time():\n        score = model.predict_proba([features.values()])[0][1]\n    PREDICTIONS.labels(endpoint="/predict").inc()\n    log.info("prediction served", extra={"endpoint": "/predict", "prediction": score})\n    return {"score": score}',
    fixSafety:
      'Unsafe: for web apps the fix adds a prometheus_client latency histogram and prediction counter (labelled by endpoint) around the model call, a structured log line, and — when the FastAPI/Starlette/Flask app is created in the same file — a `/metrics` route (`app.mount("/metrics", make_asgi_app())`, or werkzeug\'s `DispatcherMiddleware` for Flask). It needs `prometheus_client` installed and exposes a new route. On serving platforms it adds the log line only.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const serving = servingOf(program);
    for (const h of serving.handlers()) {
      if (h.observed) continue;
      const name = h.fn.childForFieldName('name');
      if (!name) continue;
      const title = FRAMEWORK_TITLE[h.framework];
      const platform = PLATFORM_METRICS.has(h.framework);
      const fn = name.text;
      const path = ctx.doc.path;
      // a router's app (and its middleware) lives in another module
      const appElsewhere = !h.app?.statement || h.app.router;
      const fix = fixFor(program, serving, h);
      ctx.report({
        unit: h.unit,
        start: name.startIndex,
        end: name.endIndex,
        severity: platform ? 'info' : undefined,
        message: platform
          ? `${title} handler \`${fn}\` calls a model but records nothing about its predictions: ${title} times the requests, but without a log line or a metric per prediction a degrading or drifting model stays invisible.`
          : `Prediction endpoint \`${fn}\`${h.route ? ` (${h.route})` : ''} calls a model with no logging and no metrics: latency, errors and what the model predicted are invisible, so a slow or degrading model is noticed only by its users.`,
        when: appElsewhere ? (facts) => !facts.tagged(TAG.appInstrumented).some((t) => t.file.path !== path) : undefined,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** prometheus_client names, imported as themselves unless the module already uses them for something else. */
function promName(program: PythonProgram, name: string): { local: string; import: string | null } {
  const binding = program.imports.binding(name);
  if (binding?.qualified === `prometheus_client.${name}`) return { local: name, import: null };
  if (!binding && !scopesOf(program).nameUsed(name)) return { local: name, import: name };
  const local = /^[A-Z]/.test(name) ? `Prometheus${name}` : `prometheus_${name}`;
  return { local, import: `${name} as ${local}` };
}

function fixFor(program: PythonProgram, serving: ServingAnalysis, h: Handler): FixSpec | null {
  const call = h.directModelCall;
  if (!call) return null;
  const stmt = statementOf(call.node);
  if ((stmt.type !== 'expression_statement' && stmt.type !== 'return_statement') || scopeOf(stmt)?.id !== h.fn.id) return null;
  const scopes = scopesOf(program);
  const unit = call.unit;
  const logger = moduleLogger(program);
  const endpoint = pythonStringLiteral(h.route ?? nameOf(h.fn) ?? 'predict');
  const assigned = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
  const target = assigned?.type === 'assignment' && assigned.childForFieldName('left')?.type === 'identifier' ? assigned.childForFieldName('left')!.text : null;
  const logLine = (prediction: string | null) =>
    `${logger.name}.info("prediction served", extra={"endpoint": ${endpoint}${prediction ? `, "prediction": ${prediction}` : ''}})`;
  const edits: EditSpec[] = [];
  const isReturn = stmt.type === 'return_statement';
  const value = isReturn ? stmt.namedChild(0) : null;
  if (isReturn && !value) return null;
  const resp = scopes.freshName('response', 'result', 'prediction_response');
  if (!PROMETHEUS.has(h.framework)) {
    const edit = isReturn ? rewriteStatement(program, unit, stmt, [`${resp} = ${value!.text}`, logLine(resp), `return ${resp}`]) : insertAfter(unit, stmt, [logLine(target)]);
    if (!edit) return null;
    edits.push(edit);
    edits.push(...logger.block);
    return { title: `Log each prediction of \`${nameOf(h.fn)}\` with \`${logger.name}.info(...)\``, applicability: 'unsafe', edits };
  }
  const histogram = promName(program, 'Histogram');
  const counter = promName(program, 'Counter');
  const latency = scopes.freshName('PREDICTION_LATENCY');
  const predictions = scopes.freshName('PREDICTIONS');
  const timer = `${latency}.labels(endpoint=${endpoint}).time()`;
  const inc = `${predictions}.labels(endpoint=${endpoint}).inc()`;
  const wrap = isReturn
    ? wrapStatement(program, unit, stmt, { header: `with ${timer}:`, body: [`${resp} = ${value!.text}`], after: [inc, logLine(null), `return ${resp}`] })
    : wrapStatement(program, unit, stmt, { header: `with ${timer}:`, after: [inc, logLine(target)] });
  if (!wrap) return null;
  edits.push(wrap);
  const names = [histogram, counter];
  const extraImports: string[] = [];
  let route: EditSpec | null = null;
  const app = h.app;
  if (app?.statement && !app.router && !serving.exposesMetrics() && (app.framework === 'fastapi' || app.framework === 'starlette' || app.framework === 'flask')) {
    const appStmt = app.statement.parent?.type === 'expression_statement' ? app.statement.parent : app.statement;
    if (app.framework === 'flask') {
      const wsgi = promName(program, 'make_wsgi_app');
      names.push(wsgi);
      const dispatcher = program.imports.binding('DispatcherMiddleware')?.qualified === 'werkzeug.middleware.dispatcher.DispatcherMiddleware';
      if (!dispatcher && scopesOf(program).nameUsed('DispatcherMiddleware')) return null;
      if (!dispatcher) extraImports.push('from werkzeug.middleware.dispatcher import DispatcherMiddleware');
      route = insertAfter(unit, appStmt, [`${app.name}.wsgi_app = DispatcherMiddleware(${app.name}.wsgi_app, {"/metrics": ${wsgi.local}()})`]);
    } else {
      const asgi = promName(program, 'make_asgi_app');
      names.push(asgi);
      route = insertAfter(scopes.unitOf(appStmt), appStmt, [`${app.name}.mount("/metrics", ${asgi.local}())`]);
    }
  }
  const importNames = names.filter((n) => n.import).map((n) => n.import!);
  const block = moduleBlock(
    program,
    [...(importNames.length ? [`from prometheus_client import ${importNames.join(', ')}`] : []), ...extraImports],
    [
      `${latency} = ${histogram.local}("prediction_latency_seconds", "Time to compute a prediction, by endpoint", ["endpoint"])`,
      `${predictions} = ${counter.local}("predictions_total", "Predictions served, by endpoint", ["endpoint"])`,
    ],
  );
  edits.push(...block);
  edits.push(...logger.block);
  if (route) edits.push(route);
  return {
    title: `Instrument \`${nameOf(h.fn)}\`: latency histogram, prediction counter and a log line (prometheus_client)${route ? ', with a /metrics route' : ''}`,
    applicability: 'unsafe',
    edits,
  };
}
