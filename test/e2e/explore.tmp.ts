import * as fs from 'fs';
import * as path from 'path';
import { startEditor } from './harness';
// scratch REPL: eval /tmp/x/cmd-N.js files as they appear, results in /tmp/x/out-N.txt
(async () => {
  const trust = process.argv.includes('--trust');
  const settings = trust ? { 'security.workspace.trust.startupPrompt': process.env.PROMPT ?? 'never' } : {};
  const editor = await startEditor(path.resolve(__dirname, '../../examples'), { name: 'explore', trust, settings });
  fs.writeFileSync('/tmp/x/ready', editor.workspace);
  const page = editor.page;
  let n = 0;
  process.on('SIGTERM', async () => { await editor.stop(); process.exit(0); });
  for (;;) {
    const f = `/tmp/x/cmd-${n}.js`;
    if (fs.existsSync(f)) {
      const code = fs.readFileSync(f, 'utf8');
      let out: string;
      try {
        const fn = new Function('page', 'editor', 'require', `return (async () => { ${code} })()`);
        out = String(await fn(page, editor, require));
      } catch (e) { out = 'ERR ' + (e as Error).stack; }
      fs.writeFileSync(`/tmp/x/out-${n}.txt`, out);
      if (code.includes('//QUIT')) { await editor.stop(); process.exit(0); }
      n++;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
})().catch((e) => { console.error(e); process.exit(1); });
