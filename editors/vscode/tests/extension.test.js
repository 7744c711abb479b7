'use strict';
// extension.js outside VS Code (tests/vscode-mock.js stands in for the `vscode` module): it
// starts the language server, stops it, starts it again when its settings change, and says
// plainly when obc cannot be started. OBC, when set, is the obc executable to start; without
// it the tests that need a real server are skipped.

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const mock = require('./vscode-mock');

const recorded = mock.install({ path: process.env.OBC || 'obc', allowImport: [] });
const extension = require('../extension');
const context = { subscriptions: [] };
let activated = false;
const starts = () => recorded.output.filter((line) => line.startsWith('Starting ')).length;

test('the language server starts, restarts when obc.allowImport changes, and stops',
  { skip: !process.env.OBC && 'OBC is not set' }, async () => {
    await extension.activate(context);
    activated = true;
    assert.deepStrictEqual(recorded.errors, []);
    assert.strictEqual(starts(), 1);
    assert.ok(recorded.commands.has('obc.restartServer'));

    recorded.changeSettings({ allowImport: [path.resolve('tests')] });
    await extension.deactivate(); // waits for the restart queued before it
    assert.deepStrictEqual(recorded.errors, []);
    assert.strictEqual(starts(), 2);
    assert.ok(recorded.output.some((line) => line.includes(`--allow-import ${path.resolve('tests')}`)),
      recorded.output.join('\n'));
  });

test('an obc that is not there is reported once, plainly', async () => {
  const missing = path.resolve('no-such-obc-here');
  recorded.errors.length = 0;
  if (activated) {
    recorded.changeSettings({ path: missing }); // restarts the server, with the missing command
  } else {
    recorded.settings.path = missing;
    await extension.activate(context);
  }
  await extension.deactivate();
  assert.strictEqual(recorded.errors.length, 1, recorded.errors.join('\n'));
  assert.ok(recorded.errors[0].includes(`"${missing}" was not found`), recorded.errors[0]);
  assert.match(recorded.errors[0], /obc\.path/);
});
