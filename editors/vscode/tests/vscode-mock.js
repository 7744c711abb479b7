'use strict';
// Just enough of the `vscode` module for extension.js and vscode-languageclient to start and
// stop a language server outside VS Code: the settings, the output channel and the error
// messages are recorded; everything else is an inert stand-in that accepts any call.

const Module = require('module');

/** A stand-in that can be called, constructed and read from, to any depth. */
function inert(name) {
  const props = new Map();
  return new Proxy(function () {}, {
    get(_target, key) {
      if (key === 'then' || typeof key === 'symbol') {
        return undefined; // not a promise, not iterable
      }
      if (key === 'dispose') {
        return () => {};
      }
      if (!props.has(key)) {
        props.set(key, inert(`${name}.${String(key)}`));
      }
      return props.get(key);
    },
    set(_target, key, value) {
      props.set(key, value);
      return true;
    },
    apply() {
      return inert(`${name}()`);
    },
    construct() {
      return inert(`new ${name}`);
    },
  });
}

/** An object with the given members, and stand-ins for the rest (`on...` events subscribe to nothing). */
function partly(name, members) {
  return new Proxy(members, {
    get(target, key) {
      if (key in target) {
        return target[key];
      }
      if (key === 'then' || typeof key === 'symbol') {
        return undefined;
      }
      if (String(key).startsWith('onDid') || String(key).startsWith('onWill')) {
        return () => ({ dispose() {} });
      }
      target[key] = inert(`${name}.${String(key)}`);
      return target[key];
    },
  });
}

class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (listener) => {
      this.listeners.push(listener);
      return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
    };
  }
  fire(value) {
    for (const listener of this.listeners) {
      listener(value);
    }
  }
  dispose() {
    this.listeners = [];
  }
}

class Disposable {
  constructor(callOnDispose) {
    this.callOnDispose = callOnDispose;
  }
  static from(...disposables) {
    return new Disposable(() => disposables.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this.callOnDispose) {
      this.callOnDispose();
    }
  }
}

/**
 * Installs the stand-in as `require('vscode')` and returns what it records.
 *
 * @param {Record<string, unknown>} settings the `obc` settings, as `obc.path` is `settings.path`
 */
function install(settings) {
  const recorded = {
    settings,
    output: [],
    errors: [],
    configurationListeners: [],
    commands: new Map(),
  };
  const channel = {
    name: 'obc',
    append: (text) => recorded.output.push(String(text)),
    appendLine: (text) => recorded.output.push(String(text)),
    replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
  };
  const vscode = partly('vscode', {
    version: '1.82.0',
    EventEmitter,
    Disposable,
    env: partly('env', { appName: 'stand-in', language: 'en', machineId: 'test', uiKind: 1 }),
    workspace: partly('workspace', {
      workspaceFolders: undefined,
      textDocuments: [],
      getConfiguration: (section) => ({
        get: (key, fallback) => (section === 'obc' && key in recorded.settings ? recorded.settings[key] : fallback),
        has: () => false,
        inspect: () => undefined,
        update: async () => {},
      }),
      onDidChangeConfiguration: (listener) => {
        recorded.configurationListeners.push(listener);
        return { dispose() {} };
      },
    }),
    window: partly('window', {
      createOutputChannel: () => channel,
      showErrorMessage: async (message) => {
        recorded.errors.push(message);
        return undefined;
      },
      showWarningMessage: async () => undefined,
      showInformationMessage: async () => undefined,
    }),
    commands: partly('commands', {
      registerCommand: (name, callback) => {
        recorded.commands.set(name, callback);
        return { dispose() {} };
      },
      executeCommand: async () => undefined,
    }),
  });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  /** Tells the extension that settings changed. */
  recorded.changeSettings = (changes) => {
    Object.assign(recorded.settings, changes);
    const event = { affectsConfiguration: (name) => Object.keys(changes).some((k) => `obc.${k}` === name || name === 'obc') };
    recorded.configurationListeners.forEach((listener) => listener(event));
  };
  return recorded;
}

module.exports = { install };
