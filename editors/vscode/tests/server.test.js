'use strict';
// server.js: how `obc lsp` is started from the settings, and what is said when it cannot be.
// Run with `node --test tests/server.test.js` (npm test). OBC, when set, is an obc executable to start.

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { serverCommand, startError, preflight } = require('../server');

const home = path.resolve('/home/someone');
const workspace = path.resolve('/work/contracts');

test('defaults run obc lsp from PATH in the workspace folder', () => {
  assert.deepStrictEqual(serverCommand({}, workspace, home),
    { command: 'obc', args: ['lsp'], cwd: workspace });
  assert.deepStrictEqual(serverCommand({ path: '  ', allowImport: [] }, undefined, home),
    { command: 'obc', args: ['lsp'], cwd: undefined });
});

test('obc.path: a command, an absolute path, a path from the workspace or the home folder', () => {
  assert.strictEqual(serverCommand({ path: 'obc-dev' }, workspace, home).command, 'obc-dev');
  assert.strictEqual(serverCommand({ path: '/opt/obc/bin/obc' }, workspace, home).command, '/opt/obc/bin/obc');
  assert.strictEqual(serverCommand({ path: 'target/debug/obc' }, workspace, home).command,
    path.join(workspace, 'target/debug/obc'));
  assert.strictEqual(serverCommand({ path: '~/.cargo/bin/obc' }, workspace, home).command,
    path.join(home, '.cargo/bin/obc'));
  assert.strictEqual(serverCommand({ path: '${workspaceFolder}/bin/obc' }, workspace, home).command,
    path.join(workspace, 'bin/obc'));
});

test('obc.allowImport: each folder is one --allow-import, relative folders read from the workspace', () => {
  const server = serverCommand({ allowImport: ['../shared', '/srv/indicators', '', 7, '~/lib'] }, workspace, home);
  assert.deepStrictEqual(server.args, [
    'lsp',
    '--allow-import', path.resolve(workspace, '../shared'),
    '--allow-import', '/srv/indicators',
    '--allow-import', path.join(home, 'lib'),
  ]);
  assert.deepStrictEqual(serverCommand({ allowImport: 'not a list' }, workspace, home).args, ['lsp']);
});

test('a command that is not there is named, with how to fix it', async () => {
  const missing = path.join(workspace, 'no-such-obc-here');
  const message = await preflight({ command: missing, cwd: undefined });
  assert.match(message, /was not found/);
  assert.ok(message.includes(missing), message);
  assert.match(message, /obc\.path/);
  assert.match(message, /cargo install/);
  // The language client reports a failed start as a string.
  assert.match(startError('obc', 'Launching server using command obc failed. Error: spawn obc ENOENT'), /"obc" was not found/);
});

test('a command without a language server is told apart from a missing one', async () => {
  // node has no `lsp` command: `node lsp --help` fails to find the script `lsp`.
  const message = await preflight({ command: process.execPath, cwd: undefined });
  assert.match(message, /has no language server/);
  assert.match(message, /obc\.path/);
});

test('the real obc passes the check', { skip: !process.env.OBC && 'OBC is not set' }, async () => {
  assert.strictEqual(await preflight({ command: process.env.OBC, cwd: undefined }), undefined);
});
