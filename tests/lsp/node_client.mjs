// node_client.mjs — drives `fix lsp` with vscode-jsonrpc / vscode-languageserver-protocol (the
// libraries VS Code's own client is built on) and checks what an editor depends on:
//   - diagnostics from the real compiler, with document versions, at the right UTF-16 positions
//     on a line holding é, € and 😀;
//   - the compiler's fix-it as a quick fix with an edit, "Fix with AI" resolved lazily;
//   - a new request answered at once while a slow model call (replay backend, delayed) runs;
//   - $/cancelRequest and window/workDoneProgress/cancel stop a repair; $/progress reports it;
//   - the command + workspace/applyEdit path (clients that never resolve);
//   - the stale-version rule: a document edited during a repair gets an edit for its new version.
// Usage: node node_client.mjs FIX-BINARY NODE_MODULES-DIR
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const [fixBin, modules] = process.argv.slice(2);
const require = createRequire(path.join(modules, 'x.js'));
const rpc = require('vscode-jsonrpc/node');
const proto = require('vscode-languageserver-protocol');

let failed = 0, passed = 0;
function check(cond, what) {
  if (cond) passed++;
  else { failed++; console.error(`FAIL: ${what}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- a broken project ----
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fix-lsp-node-'));
const MAIN = `#include <stdio.h>

static int add(int a, int b) { return a + b; }

int main(void) {
  int count = 3;
  printf("café € 😀 %d\\n", cuont);
  return add(count);
}
`;
fs.writeFileSync(path.join(dir, 'main.c'), MAIN);
// a file whose platform #if holds some of its includes: gcc's #include fix-it sits on a note
const INC = '#include <stdlib.h>\n#ifdef _WIN32\n#include <windows.h>\n#else\n#include <unistd.h>\n#endif\n\n' +
  'int say(void) {\n  printf("x");\n  return 0;\n}\n';
fs.writeFileSync(path.join(dir, 'inc.c'), INC);
fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify([
  { directory: dir, file: path.join(dir, 'main.c'), arguments: ['cc', '-Wall', '-c', 'main.c', '-o', 'main.o'] },
  { directory: dir, file: path.join(dir, 'inc.c'),
    arguments: ['cc', '-Wall', '-Werror=implicit-function-declaration', '-c', 'inc.c', '-o', 'inc.o'] },
]));
const uri = 'file://' + path.join(dir, 'main.c');
const REPLY = 'main.c\n<<<<<<< SEARCH\n  return add(count);\n=======\n  return add(count, 0);\n>>>>>>> REPLACE\n';

function replayFile(name, n, delayMs) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify({ replies: Array(n).fill(REPLY), delay_ms: delayMs }));
  return p;
}

// Applies TextEdits (UTF-16 positions: JavaScript strings are UTF-16) to text.
function applyEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  for (const e of sorted) text = text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  return text;
}

async function startServer(replay, caps) {
  const child = spawn(fixBin, ['lsp', '--replay', replay, '--candidates', '1', '--attempts', '1'],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin));
  const state = { diags: [], progress: [], applied: [], messages: [], child, conn, stderr: () => stderr };
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => state.diags.push(p));
  conn.onNotification('$/progress', (p) => state.progress.push(p));
  conn.onNotification(proto.ShowMessageNotification.type, (p) => state.messages.push(p));
  conn.onRequest(proto.WorkDoneProgressCreateRequest.type, () => null);
  conn.onRequest(proto.ApplyWorkspaceEditRequest.type, (p) => { state.applied.push(p); return { applied: true }; });
  conn.listen();
  const init = await conn.sendRequest(proto.InitializeRequest.type, {
    processId: process.pid, rootUri: 'file://' + dir, capabilities: caps, workspaceFolders: null,
  });
  conn.sendNotification(proto.InitializedNotification.type, {});
  state.init = init;
  return state;
}

async function stopServer(st) {
  await st.conn.sendRequest(proto.ShutdownRequest.type);
  st.conn.sendNotification(proto.ExitNotification.type);
  const code = await new Promise((r) => st.child.on('exit', (c) => r(c)));
  check(code === 0, `server exits 0 after shutdown+exit (got ${code}); stderr:\n${st.stderr()}`);
  st.conn.dispose();
}

async function waitFor(pred, what, ms = 20000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = pred();
    if (v) return v;
    await sleep(20);
  }
  check(false, `timed out waiting for ${what}`);
  return null;
}

const resolveCaps = {
  textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } }, publishDiagnostics: { relatedInformation: true } },
  workspace: { workspaceEdit: { documentChanges: true }, applyEdit: true },
  window: { workDoneProgress: true },
};
const commandCaps = { workspace: { workspaceEdit: { documentChanges: true }, applyEdit: true }, window: { workDoneProgress: true } };

function open(st, version = 1, text = MAIN) {
  st.conn.sendNotification(proto.DidOpenTextDocumentNotification.type,
    { textDocument: { uri, languageId: 'c', version, text } });
}

async function diagnostics(st, version) {
  const p = await waitFor(() => st.diags.find((d) => d.uri === uri && d.version === version), `diagnostics v${version}`);
  return p ? p.diagnostics : [];
}

function aiAction(actions) { return actions.find((a) => a.title === 'Fix with AI'); }

// ---- 1. diagnostics, fix-its, resolve, and a request answered during a slow model call ----
{
  const st = await startServer(replayFile('r1.json', 4, 1500), resolveCaps);
  check(st.init.capabilities.positionEncoding === 'utf-16', 'utf-16 when the client offers no encodings');
  open(st);
  const ds = await diagnostics(st, 1);
  const lines = MAIN.split('\n');
  const typo = ds.find((d) => /cuont/.test(d.message));
  check(typo && typo.severity === 1 && typo.source === 'gcc', 'the undeclared identifier is an error from gcc');
  // JavaScript strings are UTF-16: indexOf gives the expected character
  check(typo && typo.range.start.line === 6 && typo.range.start.character === lines[6].indexOf('cuont'),
    `UTF-16 column after é € 😀: ${JSON.stringify(typo && typo.range)} vs ${lines[6].indexOf('cuont')}`);
  check(typo && typo.range.end.character === lines[6].indexOf('cuont') + 5, 'the range covers the identifier');
  const few = ds.find((d) => /too few arguments/.test(d.message));
  check(few && few.range.start.line === 7, 'the call with too few arguments is reported on line 8');
  check(few && few.relatedInformation && few.relatedInformation.length > 0, 'the note is related information');

  // saves in a burst are checked once (debounced), and published with the document's version
  const published = st.diags.length;
  for (let i = 0; i < 5; i++) st.conn.sendNotification(proto.DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  await sleep(1200);
  const burst = st.diags.slice(published).filter((d) => d.uri === uri);
  check(burst.length === 1 && burst[0].version === 1, `a burst of 5 saves gives one check (${burst.length})`);

  // the compiler's fix-it: an edit right away
  const acts = await st.conn.sendRequest(proto.CodeActionRequest.type,
    { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
  const fixit = acts.find((a) => a.title.startsWith('Apply fix-it'));
  check(fixit && fixit.edit && fixit.edit.documentChanges[0].textDocument.version === 1, 'a fix-it action with a versioned edit');
  if (fixit) {
    const fixed = applyEdits(MAIN, fixit.edit.documentChanges[0].edits);
    check(fixed.includes('printf("café € 😀 %d\\n", count);'), 'the fix-it edit lands on the UTF-16 positions');
  }
  check(aiAction(acts) && !aiAction(acts).edit && aiAction(acts).data, '"Fix with AI" comes without an edit (resolved lazily)');

  // resolve "Fix with AI" for the call; while the model (1.5 s) works, another request is answered
  const acts2 = await st.conn.sendRequest(proto.CodeActionRequest.type,
    { textDocument: { uri }, range: few.range, context: { diagnostics: [few] } });
  const ai = aiAction(acts2);
  const t0 = Date.now();
  const resolving = st.conn.sendRequest(proto.CodeActionResolveRequest.type, ai);
  await sleep(200);
  const t1 = Date.now();
  await st.conn.sendRequest(proto.CodeActionRequest.type,
    { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
  const answered = Date.now() - t1;
  check(answered < 500, `a codeAction is answered in ${answered} ms while the model call is in flight`);
  console.log(`codeAction answered in ${answered} ms while a 1.5 s model call was in flight`);
  const resolved = await resolving;
  const took = Date.now() - t0;
  check(took >= 1400, `the resolve waited for the model (${took} ms)`);
  const dc = resolved.edit && resolved.edit.documentChanges;
  check(dc && dc.length === 1 && dc[0].textDocument.version === 1, 'the resolved edit names version 1');
  if (dc) {
    const fixed = applyEdits(MAIN, dc[0].edits);
    check(fixed.includes('return add(count, 0);') && fixed.includes(', cuont);'),
      'the repair fixes the chosen error (the call) and leaves the typo to its own fix-it');
    check(dc[0].edits.length === 1 && dc[0].edits[0].range.start.line === 7 && dc[0].edits[0].range.end.line === 7,
      `the edit is scoped to the chosen error's line: ${JSON.stringify(dc[0].edits.map((e) => e.range))}`);
    const both = fixit ? applyEdits(fixed, fixit.edit.documentChanges[0].edits) : fixed;
    const f = path.join(dir, 'fixed.c');
    fs.writeFileSync(f, both);
    let ok = true;
    try { execFileSync('cc', ['-fsyntax-only', '-Wall', f], { stdio: 'pipe' }); } catch { ok = false; }
    check(ok, 'the edited text compiles');
  }
  check(st.progress.some((p) => p.value.kind === 'begin') && st.progress.some((p) => p.value.kind === 'end'),
    'the repair reported $/progress begin and end');
  check(fs.readFileSync(path.join(dir, 'main.c'), 'utf8') === MAIN, 'the file on disk is untouched');

  // $/cancelRequest stops a running repair: the resolve fails with RequestCancelled, promptly
  const cts = new rpc.CancellationTokenSource();
  const t2 = Date.now();
  const cancelled = st.conn.sendRequest(proto.CodeActionResolveRequest.type, ai, cts.token)
    .then(() => 'resolved', (e) => e);
  await sleep(300);
  cts.cancel();
  const r = await cancelled;
  check(r !== 'resolved', 'a cancelled resolve does not resolve');
  await sleep(300);
  const lastEnd = st.progress.filter((p) => p.value.kind === 'end').pop();
  check(lastEnd && /cancel/.test(lastEnd.value.message || ''), `the cancelled repair ends its progress (${JSON.stringify(lastEnd)})`);
  check(Date.now() - t2 < 1400, 'cancellation stops the repair before the model would have answered');
  await stopServer(st);
}

// ---- 2. a client that never resolves: command, then workspace/applyEdit; progress cancel ----
{
  const st = await startServer(replayFile('r2.json', 3, 1500), commandCaps);
  open(st);
  const ds = await diagnostics(st, 1);
  const few = ds.find((d) => /too few arguments/.test(d.message));
  const acts = await st.conn.sendRequest(proto.CodeActionRequest.type,
    { textDocument: { uri }, range: few.range, context: { diagnostics: [few] } });
  const ai = aiAction(acts);
  check(ai && ai.command && ai.command.command === 'fix.repair' && !ai.data, 'without resolve support the action is a command');
  const t0 = Date.now();
  await st.conn.sendRequest(proto.ExecuteCommandRequest.type, ai.command);
  check(Date.now() - t0 < 500, 'executeCommand is answered at once (eglot gives up after 10 s)');
  const edit = await waitFor(() => st.applied[0], 'workspace/applyEdit');
  check(edit && edit.edit.documentChanges[0].textDocument.version === 1, 'applyEdit names version 1');
  if (edit) check(applyEdits(MAIN, edit.edit.documentChanges[0].edits).includes('return add(count, 0);'), 'the applied edit fixes the call');

  // window/workDoneProgress/cancel on the server's own progress token
  const before = st.progress.length;
  await st.conn.sendRequest(proto.ExecuteCommandRequest.type, ai.command);
  const begin = await waitFor(() => st.progress.slice(before).find((p) => p.value.kind === 'begin'), 'progress begin');
  check(begin && begin.value.cancellable === true, 'the progress is cancellable');
  st.conn.sendNotification(proto.WorkDoneProgressCancelNotification.type, { token: begin.token });
  const end = await waitFor(() => st.progress.slice(before).find((p) => p.value.kind === 'end'), 'progress end');
  check(end && /cancel/.test(end.value.message || ''), 'the cancelled command ends its progress');
  await sleep(200);
  check(st.applied.length === 1, 'a cancelled command sends no edit');
  await stopServer(st);
}

// ---- 3. the stale-version rule ----
{
  const st = await startServer(replayFile('r3.json', 4, 1200), resolveCaps);
  open(st);
  const ds = await diagnostics(st, 1);
  const few = ds.find((d) => /too few arguments/.test(d.message));
  const acts = await st.conn.sendRequest(proto.CodeActionRequest.type,
    { textDocument: { uri }, range: few.range, context: { diagnostics: [few] } });
  const resolving = st.conn.sendRequest(proto.CodeActionResolveRequest.type, aiAction(acts));
  await sleep(300);
  // the user types while the model works: a comment above main (version 2)
  const v2 = MAIN.replace('int main(void) {', '// entry point\nint main(void) {');
  st.conn.sendNotification(proto.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '// entry point\n' }],
  });
  const resolved = await resolving;
  const dc = resolved.edit && resolved.edit.documentChanges;
  check(dc && dc[0].textDocument.version === 2, `the edit is for the version the user has now (${dc && dc[0].textDocument.version})`);
  if (dc) {
    const fixed = applyEdits(v2, dc[0].edits);
    check(fixed.includes('// entry point\nint main(void) {') && fixed.includes('return add(count, 0);'),
      'applied to the new text it keeps the user\'s change and fixes the call');
  }
  await stopServer(st);
}

// ---- 5. gcc's fix-it on a note (a missing #include) as a quick fix, placed at file scope; and
// --backend none: the repair action does not claim a model ----
{
  const child = spawn(fixBin, ['lsp', '--backend', 'none'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const got = [], prog = [];
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => got.push(p));
  conn.onNotification('$/progress', (p) => prog.push(p));
  conn.onRequest(proto.WorkDoneProgressCreateRequest.type, () => null);
  conn.listen();
  await conn.sendRequest(proto.InitializeRequest.type, { processId: process.pid, rootUri: 'file://' + dir,
    capabilities: resolveCaps, workspaceFolders: null });
  conn.sendNotification(proto.InitializedNotification.type, {});
  const incUri = 'file://' + path.join(dir, 'inc.c');
  conn.sendNotification(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: incUri, languageId: 'c', version: 1, text: INC } });
  const p = await waitFor(() => got.find((d) => d.uri === incUri && d.diagnostics.length), 'inc.c diagnostics');
  const implicit = p && p.diagnostics.find((d) => /implicit declaration of function .printf/.test(d.message));
  check(implicit, 'the implicit declaration is reported');
  if (implicit) {
    const acts = await conn.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: incUri }, range: implicit.range, context: { diagnostics: [implicit] } });
    const inc = acts.find((a) => a.title.startsWith('Apply fix-it') && /stdio\.h/.test(a.title));
    const e = inc && inc.edit.documentChanges[0].edits[0];
    check(e && e.newText === '#include <stdio.h>\n' && e.range.start.line === 1 && e.range.start.character === 0,
      `the note's #include fix-it is offered, at file scope after <stdlib.h>: ${JSON.stringify(e)}`);
    check(inc && inc.isPreferred === true, 'and preferred (safe)');
    const repair = acts.find((a) => a.kind === 'quickfix' && !a.title.startsWith('Apply fix-it'));
    check(repair && repair.title === "Fix with the compilers' fix-its",
      `with --backend none the repair action does not say AI: ${repair && repair.title}`);
    if (repair) {
      const r = await conn.sendRequest(proto.CodeActionResolveRequest.type, repair);
      const begin = prog.find((x) => x.value.kind === 'begin');
      check(!begin || !/model/.test(begin.value.message.replace('no model backend', '')),
        `and does not say it asks a model: ${begin && begin.value.message}`);
      const ed = r && r.edit && r.edit.documentChanges[0].edits;
      check(ed && applyEdits(INC, ed).startsWith('#include <stdlib.h>\n#include <stdio.h>\n#ifdef _WIN32'),
        'the repair applies that fix-it');
    }
  }
  await conn.sendRequest(proto.ShutdownRequest.type);
  conn.sendNotification(proto.ExitNotification.type);
  await new Promise((r) => child.on('exit', r));
  conn.dispose();
}

// ---- 6. the scoped repair edits only what the chosen error needs: a reply that also edits a
// header the error does not name and the editor does not have open is refused, the next kept ----
{
  const SC = '#include "sc.h"\n\nint use(void) {\n  int count = 2;\n  return cnt * LIMIT;\n}\n';
  fs.writeFileSync(path.join(dir, 'sc.h'), '#define LIMIT 4\n');
  fs.writeFileSync(path.join(dir, 'sc.c'), SC);
  const db = JSON.parse(fs.readFileSync(path.join(dir, 'compile_commands.json'), 'utf8'));
  db.push({ directory: dir, file: path.join(dir, 'sc.c'), arguments: ['cc', '-Wall', '-c', 'sc.c', '-o', 'sc.o'] });
  fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify(db));
  const both = 'sc.c\n<<<<<<< SEARCH\n  return cnt * LIMIT;\n=======\n  return count * LIMIT;\n>>>>>>> REPLACE\n\n' +
    'sc.h\n<<<<<<< SEARCH\n#define LIMIT 4\n=======\n#define LIMIT 4\n#define UNRELATED 1\n>>>>>>> REPLACE\n';
  const own = 'sc.c\n<<<<<<< SEARCH\n  return cnt * LIMIT;\n=======\n  return count * LIMIT;\n>>>>>>> REPLACE\n';
  const rp = path.join(dir, 'scope.json');
  fs.writeFileSync(rp, JSON.stringify({ replies: [both, own] }));
  const child = spawn(fixBin, ['lsp', '--replay', rp, '--candidates', '1', '--attempts', '2', '--no-fixits', '--no-repairs'],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const got = [];
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => got.push(p));
  conn.onRequest(proto.WorkDoneProgressCreateRequest.type, () => null);
  conn.listen();
  await conn.sendRequest(proto.InitializeRequest.type, { processId: process.pid, rootUri: 'file://' + dir,
    capabilities: resolveCaps, workspaceFolders: null });
  conn.sendNotification(proto.InitializedNotification.type, {});
  const scUri = 'file://' + path.join(dir, 'sc.c');
  conn.sendNotification(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: scUri, languageId: 'c', version: 1, text: SC } });
  const p = await waitFor(() => got.find((d) => d.uri === scUri && d.diagnostics.length), 'sc.c diagnostics');
  const und = p && p.diagnostics.find((d) => /cnt/.test(d.message));
  check(und, 'the undeclared name is reported');
  if (und) {
    const acts = await conn.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: scUri }, range: und.range, context: { diagnostics: [und] } });
    const r = await conn.sendRequest(proto.CodeActionResolveRequest.type, aiAction(acts));
    const dc = (r && r.edit && r.edit.documentChanges) || [];
    check(dc.length === 1 && dc[0].textDocument.uri === scUri,
      `the edit touches sc.c alone, not the header nobody opened: ${JSON.stringify(dc.map((d) => d.textDocument.uri))}`);
    check(dc.length && applyEdits(SC, dc[0].edits).includes('return count * LIMIT;'), 'and repairs the error');
  }
  check(fs.readFileSync(path.join(dir, 'sc.h'), 'utf8') === '#define LIMIT 4\n', 'the header on disk is untouched');
  await conn.sendRequest(proto.ShutdownRequest.type);
  conn.sendNotification(proto.ExitNotification.type);
  await new Promise((r) => child.on('exit', r));
  conn.dispose();
}

// ---- 7. an error gcc offers no fix-it for (a missing ';', reported at the next token) gets
// clang's as a direct quick fix, as the command line applies it ----
{
  const SEMI = 'int main(void) {\n  int x = 1\n  return x;\n}\n';
  fs.writeFileSync(path.join(dir, 'semi.c'), SEMI);
  const db = JSON.parse(fs.readFileSync(path.join(dir, 'compile_commands.json'), 'utf8'));
  db.push({ directory: dir, file: path.join(dir, 'semi.c'), arguments: ['gcc', '-Wall', '-c', 'semi.c', '-o', 'semi.o'] });
  fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify(db));
  const child = spawn(fixBin, ['lsp', '--backend', 'none'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const got = [];
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => got.push(p));
  conn.listen();
  await conn.sendRequest(proto.InitializeRequest.type, { processId: process.pid, rootUri: 'file://' + dir,
    capabilities: resolveCaps, workspaceFolders: null });
  conn.sendNotification(proto.InitializedNotification.type, {});
  const sUri = 'file://' + path.join(dir, 'semi.c');
  conn.sendNotification(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: sUri, languageId: 'c', version: 1, text: SEMI } });
  const p = await waitFor(() => got.find((d) => d.uri === sUri && d.diagnostics.length), 'semi.c diagnostics');
  const err = p && p.diagnostics.find((d) => /expected/.test(d.message));
  check(err, `gcc's missing ';' is reported: ${JSON.stringify(p && p.diagnostics)}`);
  if (err) {
    const acts = await conn.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: sUri }, range: err.range, context: { diagnostics: [err] } });
    const fx = acts.find((a) => a.title.startsWith('Apply fix-it'));
    const e = fx && fx.edit && (fx.edit.documentChanges ? fx.edit.documentChanges[0].edits : fx.edit.changes[sUri]);
    check(e && applyEdits(SEMI, e) === 'int main(void) {\n  int x = 1;\n  return x;\n}\n',
      `clang's ';' is offered as a direct quick fix: ${JSON.stringify(acts.map((a) => a.title))}`);
  }
  await conn.sendRequest(proto.ShutdownRequest.type);
  conn.sendNotification(proto.ExitNotification.type);
  await new Promise((r) => child.on('exit', r));
  conn.dispose();
}

// ---- 4. Rust: `cargo check` stands for the compile command (skipped without cargo) ----
let haveCargo = true;
try { execFileSync('cargo', ['--version'], { stdio: 'pipe' }); } catch { haveCargo = false; }
if (haveCargo) {
  const crate = path.join(dir, 'crate');
  fs.mkdirSync(path.join(crate, 'src'), { recursive: true });
  fs.writeFileSync(path.join(crate, 'Cargo.toml'), '[package]\nname = "lsp_case"\nversion = "0.1.0"\nedition = "2021"\n');
  const RS = 'fn main() {\n    let v = vec![1, 2, 3];\n    let w = v;\n    println!("{:?} {:?} é😀", v, w);\n' +
    '    let s = String::new();\n    s.push(\'x\');\n    util::touch();\n}\nmod util;\n';
  fs.writeFileSync(path.join(crate, 'src', 'main.rs'), RS);
  const UT = 'pub fn touch() {\n    let t = String::new();\n    t.push(\'y\');\n}\n';
  fs.writeFileSync(path.join(crate, 'src', 'util.rs'), UT);
  const utUri = 'file://' + path.join(crate, 'src', 'util.rs');
  const rsUri = 'file://' + path.join(crate, 'src', 'main.rs');
  // cargo check runs the crate's build scripts: fix lsp runs it only in a trusted project
  const env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache'), XDG_CONFIG_HOME: path.join(dir, 'config') };
  execFileSync(fixBin, ['trust', '-C', crate], { stdio: 'pipe', env });
  const child = spawn(fixBin, ['lsp', '--backend', 'none'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const got = [];
  conn.onNotification(proto.PublishDiagnosticsNotification.type, (p) => got.push(p));
  conn.listen();
  await conn.sendRequest(proto.InitializeRequest.type, { processId: process.pid, rootUri: 'file://' + crate, capabilities: {}, workspaceFolders: null });
  conn.sendNotification(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: rsUri, languageId: 'rust', version: 1, text: RS } });
  conn.sendNotification(proto.DidOpenTextDocumentNotification.type, { textDocument: { uri: utUri, languageId: 'rust', version: 1, text: UT } });
  const p = await waitFor(() => got.find((d) => d.uri === rsUri && d.diagnostics.length), 'Rust diagnostics', 60000);
  const moved = p && p.diagnostics.find((d) => d.code === 'E0382');
  const line = RS.split('\n')[3];
  check(moved && moved.source === 'rustc' && moved.range.start.line === 3 && moved.range.start.character === line.indexOf('v, w'),
    `E0382 from cargo check at the UTF-16 column of the moved value: ${JSON.stringify(moved && moved.range)}`);
  check(!fs.existsSync(path.join(crate, 'target')), "the check does not touch the crate's target/");
  // rustc's suggestions (its help: children) are quick fixes; MachineApplicable ones preferred
  const mut = p && p.diagnostics.find((d) => d.code === 'E0596');
  if (mut) {
    const acts = await conn.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: rsUri }, range: mut.range, context: { diagnostics: [mut] } });
    const fx = acts.find((a) => a.title.startsWith('Apply fix-it'));
    const e = fx && (fx.edit.changes ? fx.edit.changes[rsUri][0] : fx.edit.documentChanges[0].edits[0]);
    // (rustc inserts 'mut '; before 1.64 it replaced the name with 'mut s')
    check(e && (e.newText === 'mut ' || e.newText === 'mut s') && e.range.start.line === 4,
      `rustc's E0596 suggestion is offered: ${JSON.stringify(fx)}`);
    check(fx && fx.isPreferred === true, 'MachineApplicable: preferred');
  } else {
    check(false, 'E0596 from cargo check');
  }
  // util.rs edited (not saved), then main.rs saved: main.rs's check reports util.rs's new version
  // too, and its diagnostics carry their quick fixes although util.rs's own check never ran on it
  await waitFor(() => got.find((d) => d.uri === utUri && d.version === 1 && d.diagnostics.length), 'util.rs v1', 60000);
  conn.sendNotification(proto.DidChangeTextDocumentNotification.type,
    { textDocument: { uri: utUri, version: 2 }, contentChanges: [{ text: UT + '\n' }] });
  conn.sendNotification(proto.DidSaveTextDocumentNotification.type, { textDocument: { uri: rsUri } });
  const pu = await waitFor(() => got.find((d) => d.uri === utUri && d.version === 2 && d.diagnostics.length), 'util.rs v2', 60000);
  const mu = pu && pu.diagnostics.find((d) => d.code === 'E0596');
  if (mu) {
    const acts = await conn.sendRequest(proto.CodeActionRequest.type,
      { textDocument: { uri: utUri }, range: mu.range, context: { diagnostics: [mu] } });
    const fx = acts.find((a) => a.title.startsWith('Apply fix-it'));
    check(fx, `util.rs's E0596, reported by main.rs's check, carries its quick fix: ${JSON.stringify(acts.map((a) => a.title))}`);
  } else {
    check(false, 'E0596 in util.rs');
  }
  await conn.sendRequest(proto.ShutdownRequest.type);
  conn.sendNotification(proto.ExitNotification.type);
  await new Promise((r) => child.on('exit', r));
  conn.dispose();
} else {
  check(false, 'cargo is installed (./setup.sh installs it): the Rust section needs it');
}

fs.rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
