import { TextUnit } from '../core/units';
import { parseNotebook, type NotebookModel } from './notebook';
import { PythonProgram } from './python/program';
import { PythonUnit } from './python/unit';
import { parseDockerfile, type DockerfileModel } from './dockerfile';
import { parseRequirements, type RequirementsModel } from './requirements';
import { parseToml, type TomlModel } from './toml';
import { parseYaml, type YamlModel } from './yaml';

/** The kinds of files the engine reads. */
export type SourceKind = 'python' | 'notebook' | 'yaml' | 'requirements' | 'dockerfile' | 'dotenv' | 'toml';

export interface AnalyzedDocument {
  /** Path relative to the workspace root, `/`-separated. */
  path: string;
  kind: SourceKind;
  text: string;
  /** The whole file as one unit (for notebooks: the .ipynb JSON text). */
  file: TextUnit;
  /** Python code: a .py file, or a notebook's code cells as one program. */
  python?: PythonProgram;
  notebook?: NotebookModel;
  yaml?: YamlModel;
  requirements?: RequirementsModel;
  /** pyproject.toml, with source ranges. */
  toml?: TomlModel;
  /** Dockerfile instructions, with continuations joined and source offsets kept. */
  dockerfile?: DockerfileModel;
  dispose(): void;
}

/** Which kind of document a path holds, or null when mlready does not analyse it. */
export function classify(path: string): SourceKind | null {
  const base = (path.split('/').pop() ?? path).toLowerCase();
  const original = path.split('/').pop() ?? path;
  if (base.endsWith('.py') || base.endsWith('.pyw')) return 'python';
  if (base.endsWith('.ipynb')) return 'notebook';
  if (base.endsWith('.yaml') || base.endsWith('.yml') || original === 'MLproject') return 'yaml';
  if (/^(requirements|constraints)[^/]*\.(txt|in)$/.test(base) || /^requirements\/.+\.(txt|in)$/.test(path.toLowerCase())) return 'requirements';
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base === 'containerfile') return 'dockerfile';
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return 'dotenv';
  if (base === 'pyproject.toml') return 'toml';
  return null;
}

export function loadDocument(path: string, text: string, kind = classify(path)): AnalyzedDocument {
  if (!kind) throw new Error(`mlready: ${path} is not a kind of file mlready analyses`);
  const base: AnalyzedDocument = { path, kind, text, file: new TextUnit(text, undefined), dispose() {} };
  switch (kind) {
    case 'python': {
      const unit = new PythonUnit(text, undefined, undefined, 0, false);
      const program = new PythonProgram([unit], false);
      return { ...base, file: unit, python: program, dispose: () => program.dispose() };
    }
    case 'notebook': {
      const notebook = parseNotebook(text);
      return { ...base, file: notebook.file, notebook, python: notebook.program, dispose: () => notebook.program.dispose() };
    }
    case 'yaml': {
      const yaml = parseYaml(text, path);
      return { ...base, file: yaml.unit, yaml };
    }
    case 'requirements': {
      const requirements = parseRequirements(text);
      return { ...base, file: requirements.unit, requirements };
    }
    case 'toml': {
      const toml = parseToml(text);
      return { ...base, file: toml.unit, toml };
    }
    case 'dockerfile': {
      const dockerfile = parseDockerfile(text);
      return { ...base, file: dockerfile.unit, dockerfile };
    }
    default:
      return base;
  }
}

/** A notebook given as cells (an editor's notebook document) rather than .ipynb text. */
export function documentFromNotebook(path: string, notebook: NotebookModel): AnalyzedDocument {
  return { path, kind: 'notebook', text: notebook.text, file: notebook.file, notebook, python: notebook.program, dispose: () => notebook.program.dispose() };
}
