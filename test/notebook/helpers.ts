export { applyFixes, initPython, loadDocument, parseNotebook } from '../../rules';

/** A cell's text as it appears inside a JSON string of the .ipynb file (Jupyter's escaping). */
export function escapeForTest(s: string, ascii: boolean): string {
  const json = JSON.stringify(s).slice(1, -1);
  return ascii ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
