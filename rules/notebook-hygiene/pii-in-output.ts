import { defineRule } from '../core/rule';
import { outputTexts } from '../documents/notebook';
import { onCell } from './cells';
import { describePii, PiiCounter } from './pii';

export default defineRule({
  code: 'N104',
  name: 'pii-in-output',
  category: 'notebook-hygiene',
  severity: 'warning',
  // personal data committed in a notebook is as much of a problem in an exploration notebook
  stageSeverity: { exploration: 'warning' },
  appliesTo: ['notebook'],
  docs: {
    summary:
      'The saved text output of a code cell (printed text, a displayed DataFrame, HTML, JSON) shows personal data: three or more email addresses or international phone numbers, or any payment card number (checksum and issuer checked), US social security number or IBAN (checksum checked). Values are counted, never shown. Credentials in outputs are reported by S102.',
    why:
      'Outputs are saved in the .ipynb file: `df.head()` of a customer table puts real people\'s data in the repository, in every clone and fork, in rendered previews on GitHub and in exported HTML, outside the access controls and retention rules of the data platform (GDPR, PCI DSS, HIPAA). Removing it later means rewriting the repository history.',
    example: 'customers = pd.read_parquet("data/customers.parquet")\ncustomers.head()   # saved output: name, email, card_number … of five customers',
    useInstead: 'customers.head().pipe(mask_pii)          # or show the schema and statistics only:\ncustomers.dtypes\ncustomers.describe()\n# and strip outputs before committing: nbstripout --install',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem || !nb.text) return;
    for (const cell of nb.cells) {
      if (!cell.outputs.length) continue;
      const counter = new PiiCounter();
      for (const output of cell.outputs) for (const t of outputTexts(nb.text, output)) counter.add(t.value);
      const found = counter.found();
      if (!found.length) continue;
      ctx.report({
        ...onCell(cell),
        message: `The saved output of this cell shows personal data (${describePii(found)}): it is committed with the notebook, outside the data platform's access controls.`,
      });
    }
  },
});
