import { notebook } from './helpers';

/**
 * The sample project the CLI tests scan: portability findings in a module, a notebook cell and
 * YAML, a used suppression, and files that must be skipped. Tests locate the expected positions
 * by searching these texts, so the expectations follow the material rather than fixed numbers.
 */
export const USER_PATH = '/home/ana/data/train.csv';
export const NOTEBOOK_PATH = '/home/ana/data/raw.csv';

export const TRAIN_PY = ['import pandas as pd', '', `DATA = "${USER_PATH}"`, 'df = pd.read_csv(DATA)', ''].join('\n');

export const SUPPRESSED_PY = ['OUT = "/home/ana/out/model.pkl"  # mlready: ignore[P101] reason: mounted at this path in the container', ''].join('\n');

export const NOTEBOOK_CELLS = [
  { type: 'markdown' as const, source: '# Exploration\nA "quoted" word and a tab\there.' },
  { type: 'code' as const, source: 'import pandas as pd\n' },
  { type: 'code' as const, source: `# load the raw data\ndf = pd.read_csv("${NOTEBOOK_PATH}")\nprint(df.shape)` },
];
export const NOTEBOOK_CELL_INDEX = 2;
export const EDA_IPYNB = notebook(NOTEBOOK_CELLS);

/** NUL bytes: a binary file with a name the engine would otherwise analyse. */
export const BINARY_PY = Uint8Array.from([0x69, 0x6d, 0x70, 0x00, 0x01, 0x02, 0x03]);
/** Latin-1 bytes that are not valid UTF-8. */
export const LATIN1_PY = Uint8Array.from([...Buffer.from('name = "caf'), 0xe9, ...Buffer.from('"\n')]);

export function sampleProject(): Record<string, string | Uint8Array> {
  return {
    'src/train.py': TRAIN_PY,
    'src/suppressed.py': SUPPRESSED_PY,
    'notebooks/eda.ipynb': EDA_IPYNB,
    'src/blob.py': BINARY_PY,
    'src/latin1.py': LATIN1_PY,
    'README.md': '# churn model\n',
  };
}

/** 0-based line and character where `needle` starts in `text`. */
export function locate(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`test material: ${needle} not found`);
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
