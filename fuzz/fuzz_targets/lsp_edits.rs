//! Language-server sessions: a document opened with fuzzed text, then a fuzzed sequence of
//! edits, saves, requests (hover, definition, references, rename, completion, outline,
//! folding, semantic tokens, code actions, formatting) and changes to a file it imports, which
//! is edited, closed and deleted under it. The input is the document's text, then a byte 0xFF
//! (never part of UTF-8 text), then the bytes the steps are read from; text alone is opened and
//! asked every request at a spread of positions.
//!
//! The server runs on a thread of its own for the whole fuzzing run, over an in-memory
//! connection, as an editor drives it. It must answer every request, never with an internal
//! error (a panic in a handler, which libFuzzer also sees as a crash), and every range it sends
//! must be ordered.

#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::arbitrary::{self, Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

/// An edit, a request or a change to the imported file.
#[derive(Arbitrary, Debug)]
enum Step {
    /// Replaces the range between two positions (line, UTF-16 column) with text.
    Edit { from: (u8, u8), to: (u8, u8), text: String },
    /// Types one of the language's words at a position.
    Type { at: (u8, u8), word: u8 },
    /// Replaces the whole text.
    Replace { text: String },
    Save,
    Ask { what: Ask, at: (u8, u8), to: (u8, u8) },
    /// Opens the imported file with text, edits it, closes it or deletes it from disk.
    Library(Library),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Ask {
    Hover,
    Definition,
    References,
    PrepareRename,
    Rename,
    Completion,
    Symbols,
    Folding,
    Tokens,
    Actions,
    Formatting,
}

#[derive(Arbitrary, Debug)]
enum Library {
    Open { text: String },
    Write { text: String },
    Close,
    Delete,
}

/// Words typed by `Step::Type`: the language's own, so edits make and break real settings.
const WORDS: &[&str] = &[
    "indicator ", "payment ", "contract ", "import \"lib.obc\"\n", "{", "}", "\n", "\"", " ",
    "unit percent\n", "better higher\n", "target 85%\n", "baseline 80% in 2024/25\n",
    "pays £100 per point\n", "tiers {\n", "below 80% pays nothing\n", "80% to 90% pays 50%\n",
    "term 2025-04-01 to 2028-03-31\n", "value £1,000,000 per year\n", "at risk 10%\n",
    "weight 100%\n", "linear from 50% to 90%\n", "reported quarterly\n", "data lag 2 months\n",
    "still_home_91", "lib_indicator", "outcome ", "rate card ", "gateway ", "factor ", "flag ",
    "test ", "expect ", "//", "“", "\u{202e}", "🙂", "%", "£", ",", "2025-", "to ", "per ",
];

const ASKS: [Ask; 11] = [
    Ask::Hover,
    Ask::Definition,
    Ask::References,
    Ask::PrepareRename,
    Ask::Rename,
    Ask::Completion,
    Ask::Symbols,
    Ask::Folding,
    Ask::Tokens,
    Ask::Actions,
    Ask::Formatting,
];

struct Client {
    connection: Connection,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let (server, connection) = Connection::memory();
        std::thread::spawn(move || {
            let _ = obc::lsp::serve(&server, &[]);
        });
        let mut client = Client {
            connection,
            next_id: 0,
        };
        client.request("initialize", json!({ "capabilities": {} }));
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        let message = Message::Notification(Notification::new(method.to_string(), params));
        self.connection.sender.send(message).expect("the server is running");
    }

    /// Sends a request and waits for its answer, checking the diagnostics published meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection.sender.send(request.into()).expect("the server is running");
        loop {
            match self.connection.receiver.recv().expect("the server answers") {
                Message::Response(response) if response.id == id => {
                    return match response.response_result {
                        Ok(result) => {
                            ranges_are_ordered(&result);
                            result
                        }
                        Err(error) => {
                            assert_ne!(
                                error.code,
                                lsp_server::ErrorCode::InternalError as i32,
                                "`{method}` failed inside the server: {}",
                                error.message
                            );
                            Value::Null
                        }
                    };
                }
                Message::Notification(notification) => ranges_are_ordered(&notification.params),
                other => panic!("unexpected message {other:?}"),
            }
        }
    }
}

/// Every `range` in a message starts no later than it ends.
fn ranges_are_ordered(value: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(range) = map.get("range") {
                let at = |end: &str| {
                    let p = &range[end];
                    (p["line"].as_u64(), p["character"].as_u64())
                };
                assert!(at("start") <= at("end"), "a range ends before it starts: {range}");
            }
            map.values().for_each(ranges_are_ordered);
        }
        Value::Array(items) => items.iter().for_each(ranges_are_ordered),
        _ => {}
    }
}

fn client() -> &'static Mutex<Client> {
    static CLIENT: OnceLock<Mutex<Client>> = OnceLock::new();
    CLIENT.get_or_init(|| Mutex::new(Client::start()))
}

fn position((line, character): (u8, u8)) -> Value {
    json!({ "line": line, "character": character })
}

fn ask(client: &mut Client, uri: &str, what: Ask, at: (u8, u8), to: (u8, u8)) {
    let document = json!({ "uri": uri });
    let here = json!({ "textDocument": document, "position": position(at) });
    match what {
        Ask::Hover => client.request("textDocument/hover", here),
        Ask::Definition => client.request("textDocument/definition", here),
        Ask::References => client.request(
            "textDocument/references",
            json!({ "textDocument": document, "position": position(at),
                    "context": { "includeDeclaration": true } }),
        ),
        Ask::PrepareRename => client.request("textDocument/prepareRename", here),
        Ask::Rename => client.request(
            "textDocument/rename",
            json!({ "textDocument": document, "position": position(at), "newName": "renamed" }),
        ),
        Ask::Completion => client.request("textDocument/completion", here),
        Ask::Symbols => client.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": document }),
        ),
        Ask::Folding => client.request(
            "textDocument/foldingRange",
            json!({ "textDocument": document }),
        ),
        Ask::Tokens => client.request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": document }),
        ),
        Ask::Actions => client.request(
            "textDocument/codeAction",
            json!({ "textDocument": document,
                    "range": { "start": position(at), "end": position(to) },
                    "context": { "diagnostics": [] } }),
        ),
        Ask::Formatting => client.request(
            "textDocument/formatting",
            json!({ "textDocument": document,
                    "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
    };
}

fuzz_target!(|data: &[u8]| {
    let (text, steps) = match data.iter().position(|b| *b == 0xff) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(mut client) = client().lock() else {
        return;
    };
    let dir = obc_fuzz::scratch();
    let library_path = dir.join("lib.obc");
    let uri = format!("file://{}", obc_fuzz::contract_path().display());
    let library = format!("file://{}", library_path.display());
    let mut version = 1;
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "obc", "version": version, "text": text } }),
    );
    match steps {
        None => {
            // Every request at a spread of places: the start, a few lines in, the end.
            let lines = text.lines().count().min(250) as u8;
            for what in ASKS {
                for at in [(0, 0), (lines / 2, 4), (lines, 0), (lines / 3, 12)] {
                    ask(&mut client, &uri, what, at, (lines, 40));
                }
            }
        }
        Some(bytes) => {
            let mut u = Unstructured::new(bytes);
            let steps: Vec<Step> = u.arbitrary().unwrap_or_default();
            for step in steps.into_iter().take(64) {
                let mut change = |client: &mut Client, doc: &str, changes: Value| {
                    version += 1;
                    client.notify(
                        "textDocument/didChange",
                        json!({ "textDocument": { "uri": doc, "version": version },
                                "contentChanges": changes }),
                    );
                };
                match step {
                    Step::Edit { from, to, text } => change(
                        &mut client,
                        &uri,
                        json!([{ "range": { "start": position(from), "end": position(to) },
                                 "text": text }]),
                    ),
                    Step::Type { at, word } => change(
                        &mut client,
                        &uri,
                        json!([{ "range": { "start": position(at), "end": position(at) },
                                 "text": WORDS[usize::from(word) % WORDS.len()] }]),
                    ),
                    Step::Replace { text } => change(&mut client, &uri, json!([{ "text": text }])),
                    Step::Save => client.notify(
                        "textDocument/didSave",
                        json!({ "textDocument": { "uri": uri } }),
                    ),
                    Step::Ask { what, at, to } => ask(&mut client, &uri, what, at, to),
                    Step::Library(Library::Open { text }) => client.notify(
                        "textDocument/didOpen",
                        json!({ "textDocument": { "uri": library, "languageId": "obc",
                                                  "version": 1, "text": text } }),
                    ),
                    Step::Library(Library::Write { text }) => {
                        let _ = std::fs::write(&library_path, text);
                        client.notify(
                            "workspace/didChangeWatchedFiles",
                            json!({ "changes": [{ "uri": library, "type": 2 }] }),
                        );
                    }
                    Step::Library(Library::Close) => client.notify(
                        "textDocument/didClose",
                        json!({ "textDocument": { "uri": library } }),
                    ),
                    Step::Library(Library::Delete) => {
                        let _ = std::fs::remove_file(&library_path);
                        client.notify(
                            "workspace/didChangeWatchedFiles",
                            json!({ "changes": [{ "uri": library, "type": 3 }] }),
                        );
                    }
                }
            }
            // Whatever the edits left, every request still answers.
            for what in ASKS {
                ask(&mut client, &uri, what, (0, 0), (3, 0));
            }
        }
    }
    for doc in [&uri, &library] {
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": doc } }));
    }
    let _ = std::fs::remove_file(&library_path);
    // A request after the closes, so the next input starts once they are handled.
    client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
});
