'use strict';
// The obc extension: starts `obc lsp` (the language server) for obc documents, and starts it
// again when its settings change. Highlighting before the server has started comes from
// syntaxes/obc.tmLanguage.json; the server's semantic tokens refine it.

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { serverCommand, startError, preflight } = require('./server');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;
/** Starts and stops run one at a time, in order. */
let queue = Promise.resolve();

function settings() {
  const config = vscode.workspace.getConfiguration('obc');
  return { path: config.get('path'), allowImport: config.get('allowImport') };
}

function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 && folders[0].uri.scheme === 'file' ? folders[0].uri.fsPath : undefined;
}

async function showError(message) {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'obc.path');
  } else if (choice === 'Show Output' && output) {
    output.show(true);
  }
}

async function start() {
  const server = serverCommand(settings(), firstWorkspaceFolder());
  output.appendLine(`Starting ${[server.command, ...server.args].join(' ')}`);
  const problem = await preflight(server);
  if (problem) {
    output.appendLine(problem);
    void showError(problem);
    return;
  }
  const serverOptions = {
    command: server.command,
    args: server.args,
    // No transport: the client would add --stdio, which obc lsp does not take. It speaks on
    // standard input and output anyway.
    options: server.cwd ? { cwd: server.cwd } : {},
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'obc' },
      { scheme: 'untitled', language: 'obc' },
    ],
    outputChannel: output,
  };
  const candidate = new LanguageClient('obc', 'obc language server', serverOptions, clientOptions);
  try {
    await candidate.start();
    client = candidate;
  } catch (error) {
    const message = startError(server.command, error);
    output.appendLine(message);
    void showError(message);
    try {
      await candidate.dispose();
    } catch {
      // It never started: there is nothing to stop.
    }
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`Stopping the language server: ${error}`);
    }
  }
}

/** Queues a stop and a start, after whatever is queued already. */
function restart() {
  queue = queue.then(stop).then(start).catch((error) => output.appendLine(`obc: ${error}`));
  return queue;
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  output = vscode.window.createOutputChannel('obc');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('obc.restartServer', restart));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('obc.path') || event.affectsConfiguration('obc.allowImport')) {
      void restart();
    }
  }));
  return restart();
}

function deactivate() {
  queue = queue.then(stop);
  return queue;
}

module.exports = { activate, deactivate };
