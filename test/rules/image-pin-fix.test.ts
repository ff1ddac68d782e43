import { strict as assert } from 'assert';
import { applyFixes } from '../../rules';
import { scanFiles } from '../helpers/engine';

/** R120's fix pins a moving image to the tag and digest the workspace already uses for it. */
describe('R120 image pin fix', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.acme.io/churn-api:latest\n';

  it('pins to the reference found in the Dockerfile', async () => {
    const result = await scanFiles({ Dockerfile: `FROM registry.acme.io/churn-api:1.4.2@${digest}\n`, 'k8s/deploy.yaml': deploy });
    const finding = result.findings.find((f) => f.code === 'R120' && f.file === 'k8s/deploy.yaml');
    assert.ok(finding, 'R120 reported');
    assert.equal(finding.fixes.length, 1);
    const fixed = applyFixes(deploy, [finding], false, false).text;
    assert.match(fixed, new RegExp(`image: registry\\.acme\\.io/churn-api:1\\.4\\.2@${digest}\\n$`));
  });

  it('offers no pin when the workspace knows no version of the image', async () => {
    const result = await scanFiles({ 'k8s/deploy.yaml': deploy });
    const finding = result.findings.find((f) => f.code === 'R120');
    assert.ok(finding);
    assert.deepEqual(finding.fixes, []);
  });
});
