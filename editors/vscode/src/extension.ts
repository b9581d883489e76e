// extension.ts — starts `fix lsp` for C, C++ and Rust files; "Fix with AI" then appears among
// the quick fixes (the light bulb) of every compiler error. VS Code's client resolves code
// actions lazily, so the model runs only when the action is chosen.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { affectsServer, documentSelector, FixSettings, initializationOptions, serverCommand } from './settings';

let client: LanguageClient | undefined;

function readSettings(): FixSettings {
  const c = vscode.workspace.getConfiguration('fix');
  return {
    path: c.get<string>('path'),
    backend: c.get<string>('backend'),
    model: c.get<string>('model'),
    baseUrl: c.get<string>('baseUrl'),
    candidates: c.get<number>('candidates'),
    editFormat: c.get<string>('editFormat'),
    maxIterations: c.get<number>('maxIterations'),
    extraArgs: c.get<string[]>('extraArgs'),
  };
}

async function start(): Promise<void> {
  const settings = readSettings();
  const { command, args } = serverCommand(settings);
  const { options, problems } = initializationOptions(settings);
  for (const p of problems) void vscode.window.showWarningMessage(`fix: ${p}`);
  const serverOptions: ServerOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions: options,
    outputChannelName: 'fix',
  };
  client = new LanguageClient('fix', 'fix', serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('fix.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (affectsServer((s) => e.affectsConfiguration(s))) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> | undefined {
  return client ? stop() : undefined;
}
