import type { LanguageClientOptions } from 'vscode-languageclient/node';

type DocumentSelector = Exclude<LanguageClientOptions['documentSelector'], string[] | undefined>;

/**
 * What the server analyses. Plain data (type-only import) so the manifest test can compare it with
 * the activation events. Files on disk and unsaved buffers; notebook cells through the notebook
 * filter, which is what makes the client sync notebooks and register code actions on cells (their
 * URIs have the `vscode-notebook-cell` scheme, which the text filters do not match).
 */
export const TEXT_LANGUAGES = ['python', 'yaml', 'pip-requirements', 'dockerfile', 'dotenv', 'toml'] as const;

const SCHEMES = ['file', 'untitled'] as const;

export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...TEXT_LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ scheme, language }))),
  // a notebook opened as text (e.g. "Reopen Editor With… Text Editor") is JSON
  { scheme: 'file', language: 'json', pattern: '**/*.ipynb' },
  // MLflow's MLproject has no extension and no language of its own
  { scheme: 'file', pattern: '**/MLproject' },
  // requirements files are plain text unless an extension gives them `pip-requirements`
  { scheme: 'file', language: 'plaintext', pattern: '**/requirements*.{txt,in}' },
  { notebook: 'jupyter-notebook', language: 'python' },
];

/** mlready.yaml and its spellings (the engine's CONFIG_FILE_NAMES; a test keeps them equal). */
export const CONFIG_FILE_NAMES = ['mlready.yaml', 'mlready.yml', '.mlready.yaml', '.mlready.yml'] as const;

/** Configuration files whose changes the server must hear about even when they are not open. */
export const CONFIG_FILE_GLOB = `**/{${CONFIG_FILE_NAMES.join(',')}}`;
