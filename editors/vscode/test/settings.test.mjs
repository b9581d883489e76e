// settings.test.mjs — the extension's pure logic, run with node's test runner on the compiled
// output (VS Code itself cannot be launched here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const s = require('../out/settings.js');

test('the server command is fix lsp plus extra arguments', () => {
  assert.deepEqual(s.serverCommand({}), { command: 'fix', args: ['lsp'] });
  assert.deepEqual(s.serverCommand({ path: ' /opt/fix/bin/fix ', extraArgs: ['-v', '', 3] }),
    { command: '/opt/fix/bin/fix', args: ['lsp', '-v'] });
});

test('settings become fix setting names; empty ones are left to fix', () => {
  const r = s.initializationOptions({ backend: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434',
    candidates: 3, editFormat: 'changelog', maxIterations: 4 });
  assert.deepEqual(r.options, { backend: 'ollama', model: 'qwen2.5-coder:7b', base_url: 'http://127.0.0.1:11434',
    candidates: 3, edit_format: 'changelog', max_iterations: 4 });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(s.initializationOptions({ backend: '', model: '', candidates: 0 }).options, {});
});

test('invalid settings are reported, not sent', () => {
  const r = s.initializationOptions({ backend: 'gpt', baseUrl: 'localhost:8080', candidates: 2.5, editFormat: 'json' });
  assert.deepEqual(r.options, {});
  assert.equal(r.problems.length, 4);
  assert.match(r.problems[0], /fix\.backend/);
});

test('C, C++ and Rust files on disk are served', () => {
  assert.deepEqual(s.documentSelector.map((d) => d.language), ['c', 'cpp', 'rust']);
  assert.ok(s.documentSelector.every((d) => d.scheme === 'file'));
});

test('only fix settings restart the server', () => {
  assert.equal(s.affectsServer((k) => k === 'fix.model'), true);
  assert.equal(s.affectsServer((k) => k === 'editor.fontSize'), false);
});
