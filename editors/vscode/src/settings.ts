// settings.ts — the extension's pure logic (no `vscode` import, so node can test it): how the
// user's settings become the server command and fix's initializationOptions.

/** The settings under "fix.*", as VS Code's configuration returns them. */
export interface FixSettings {
  path?: string;
  backend?: string;
  model?: string;
  baseUrl?: string;
  candidates?: number;
  editFormat?: string;
  maxIterations?: number;
  extraArgs?: string[];
}

export interface ServerCommand {
  command: string;
  args: string[];
}

/** `fix lsp` plus the user's extra arguments. */
export function serverCommand(s: FixSettings): ServerCommand {
  const command = s.path && s.path.trim() !== '' ? s.path.trim() : 'fix';
  const extra = Array.isArray(s.extraArgs) ? s.extraArgs.filter((a) => typeof a === 'string' && a !== '') : [];
  return { command, args: ['lsp', ...extra] };
}

const BACKENDS = new Set(['local', 'openai', 'ollama', 'replay', 'none']);
const FORMATS = new Set(['search-replace', 'changelog', 'udiff']);

/**
 * fix's settings (the names of its .fix.json) from the editor's: unset or empty values are left
 * out so that fix's own configuration files apply; invalid ones are reported, not sent.
 */
export function initializationOptions(s: FixSettings): { options: Record<string, string | number>; problems: string[] } {
  const options: Record<string, string | number> = {};
  const problems: string[] = [];
  if (s.backend) {
    if (BACKENDS.has(s.backend)) options.backend = s.backend;
    else problems.push(`fix.backend: unknown backend "${s.backend}"`);
  }
  if (s.model) options.model = s.model;
  if (s.baseUrl) {
    if (/^https?:\/\//.test(s.baseUrl)) options.base_url = s.baseUrl;
    else problems.push(`fix.baseUrl: "${s.baseUrl}" is not an http(s) URL`);
  }
  if (typeof s.candidates === 'number' && s.candidates > 0) {
    if (Number.isInteger(s.candidates) && s.candidates <= 8) options.candidates = s.candidates;
    else problems.push('fix.candidates: a whole number from 1 to 8');
  }
  if (s.editFormat) {
    if (FORMATS.has(s.editFormat)) options.edit_format = s.editFormat;
    else problems.push(`fix.editFormat: unknown format "${s.editFormat}"`);
  }
  if (typeof s.maxIterations === 'number' && s.maxIterations > 0) {
    if (Number.isInteger(s.maxIterations)) options.max_iterations = s.maxIterations;
    else problems.push('fix.maxIterations: a whole number');
  }
  return { options, problems };
}

/** The documents fix serves. */
export const documentSelector = ['c', 'cpp', 'rust'].map((language) => ({ scheme: 'file', language }));

/** Whether a change of configuration needs the server restarted. */
export function affectsServer(changed: (section: string) => boolean): boolean {
  return ['path', 'backend', 'model', 'baseUrl', 'candidates', 'editFormat', 'maxIterations', 'extraArgs'].some((k) =>
    changed(`fix.${k}`),
  );
}
