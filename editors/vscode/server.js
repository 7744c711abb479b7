'use strict';
// How the language server is started, worked out from the settings. Kept apart from
// extension.js, and free of the `vscode` module, so that tests/server.test.js can run it in
// plain Node.

const { execFile } = require('child_process');
const os = require('os');
const path = require('path');

/** `~` and `${userHome}` for the home folder, `${workspaceFolder}` for the first workspace folder. */
function expand(value, workspaceFolder, home) {
  let text = String(value).trim();
  if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) {
    text = home + text.slice(1);
  }
  text = text.split('${userHome}').join(home);
  if (workspaceFolder !== undefined) {
    text = text.split('${workspaceFolder}').join(workspaceFolder);
  }
  return text;
}

/**
 * The command, arguments and working folder that run `obc lsp`.
 *
 * - `obc.path` is a command looked up on PATH (`obc`) or a path to the executable; a relative
 *   path with a folder in it (`target/debug/obc`) is read from the first workspace folder.
 * - each of `obc.allowImport` is passed as `--allow-import FOLDER`, relative folders read from
 *   the first workspace folder.
 *
 * @param {{ path?: unknown, allowImport?: unknown }} settings
 * @param {string | undefined} workspaceFolder the first workspace folder's path, if any
 * @param {string} [home] the home folder
 * @returns {{ command: string, args: string[], cwd: string | undefined }}
 */
function serverCommand(settings, workspaceFolder, home = os.homedir()) {
  let command = typeof settings.path === 'string' ? expand(settings.path, workspaceFolder, home) : '';
  if (command === '') {
    command = 'obc';
  }
  const hasFolder = command.includes('/') || command.includes('\\');
  if (hasFolder && !path.isAbsolute(command) && workspaceFolder !== undefined) {
    command = path.resolve(workspaceFolder, command);
  }
  const args = ['lsp'];
  const folders = Array.isArray(settings.allowImport) ? settings.allowImport : [];
  for (const folder of folders) {
    if (typeof folder !== 'string' || folder.trim() === '') {
      continue;
    }
    let resolved = expand(folder, workspaceFolder, home);
    if (!path.isAbsolute(resolved) && workspaceFolder !== undefined) {
      resolved = path.resolve(workspaceFolder, resolved);
    }
    args.push('--allow-import', resolved);
  }
  return { command, args, cwd: workspaceFolder };
}

/** The error's code: `ENOENT` for a command not found, also when it is only in the message. */
function errorCode(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    return error.code;
  }
  const text = String(error && error.message ? error.message : error);
  const found = /\b(ENOENT|EACCES)\b/.exec(text);
  return found ? found[1] : undefined;
}

/**
 * What to tell the user when the server could not be started.
 *
 * @param {string} command the command that was run
 * @param {unknown} error what starting it threw (an Error, or the language client's string)
 */
function startError(command, error) {
  const code = errorCode(error);
  if (code === 'ENOENT') {
    return `obc: the language server could not be started: "${command}" was not found. ` +
      'Install obc (cargo install --path . in a checkout of obc), or set "obc.path" to the obc executable.';
  }
  if (code === 'EACCES') {
    return `obc: the language server could not be started: "${command}" is not executable. ` +
      'Set "obc.path" to the obc executable.';
  }
  const detail = String(error && error.message ? error.message : error).trim().split('\n')[0];
  return `obc: the language server "${command} lsp" could not be started: ${detail}. ` +
    'Check that "obc.path" names an obc that has the lsp command (obc lsp --help).';
}

/**
 * Runs `COMMAND lsp --help` to see that the command exists and has the language server, before
 * the language client starts it: a missing command then gets a plain message rather than the
 * client's own. Resolves to undefined when it works, or to the message to show.
 *
 * @param {{ command: string, cwd: string | undefined }} server
 * @param {number} [timeout] milliseconds
 * @returns {Promise<string | undefined>}
 */
function preflight(server, timeout = 15000) {
  return new Promise((resolve) => {
    execFile(server.command, ['lsp', '--help'], { cwd: server.cwd, timeout, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve(undefined);
        } else if (typeof error.code === 'string') {
          resolve(startError(server.command, error));
        } else if (error.killed) {
          resolve(`obc: "${server.command} lsp --help" did not finish within ${timeout / 1000} s. ` +
            'Check that "obc.path" names the obc executable.');
        } else {
          const said = String(stderr || '').trim().split('\n')[0];
          resolve(`obc: "${server.command}" has no language server ("${server.command} lsp --help" ` +
            `failed${said ? `: ${said}` : ''}). Install a newer obc, or set "obc.path" to one.`);
        }
      });
  });
}

module.exports = { expand, serverCommand, startError, preflight };
