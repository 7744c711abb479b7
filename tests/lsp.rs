//! `obc lsp` spoken to as an editor speaks to it: the real binary, JSON-RPC frames with
//! `Content-Length` headers over its standard input and output. Fixtures are in `tests/lsp/`;
//! file addresses in snapshots are written `file:///FIXTURES/...`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    notifications: Vec<Value>,
    next_id: i64,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp")
}

fn url(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or(path.to_path_buf());
    format!("file://{}", path.display())
}

fn fixture_url(name: &str) -> String {
    url(&fixtures().join(name))
}

/// A value with the fixtures' addresses made machine-independent.
fn redact(value: &Value) -> Value {
    let base = url(&fixtures());
    let text = value.to_string().replace(&base, "file:///FIXTURES");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_obc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("obc lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            notifications: Vec::new(),
            next_id: 1,
        }
    }

    /// A client that has initialized the server.
    fn initialized() -> Client {
        let mut client = Client::start();
        client.request("initialize", json!({"capabilities": {}, "processId": null}));
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response (`result` or `error`) to a request.
    fn response(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self
                .incoming
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.response(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.notifications.iter().position(is_for) {
            return self.notifications.remove(i)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self
                .incoming
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("no diagnostics for {uri}"));
            if is_for(&message) {
                return message["params"]["diagnostics"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "obc", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn open_fixture(&mut self, name: &str) -> (String, String) {
        let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture");
        let uri = fixture_url(name);
        self.open(&uri, &text);
        (uri, text)
    }

    fn change(&mut self, uri: &str, version: i32, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range, "text": text}]
            }),
        );
    }

    fn at(uri: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
    }

    /// Shuts the server down and returns its exit status.
    fn stop(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin.take());
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("obc lsp did not exit");
    }
}

/// The UTF-16 column where `needle` starts on `line` of `text`.
fn column_of(text: &str, line: usize, needle: &str) -> u32 {
    let line = text.lines().nth(line).expect("line");
    let at = line.find(needle).expect("needle on the line");
    line[..at].encode_utf16().count() as u32
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1}
    })
}

#[test]
fn initialize_declares_what_the_server_offers() {
    let mut client = Client::start();
    let result = client.request("initialize", json!({"capabilities": {}, "processId": null}));
    assert_eq!(result["serverInfo"]["name"], "obc");
    insta::assert_json_snapshot!("capabilities", result["capabilities"]);
    client.notify("initialized", json!({}));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn an_example_contract_has_no_diagnostics() {
    let mut client = Client::initialized();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/richmond-community.obc");
    let text = std::fs::read_to_string(&path).expect("example");
    assert_eq!(client.open(&url(&path), &text), json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_broken_contract_has_coded_diagnostics_at_utf16_ranges() {
    let mut client = Client::initialized();
    let text = std::fs::read_to_string(fixtures().join("broken.obc")).expect("fixture");
    let uri = fixture_url("broken.obc");
    let diagnostics = client.open(&uri, &text);
    assert_eq!(codes(&diagnostics), ["E0001", "W0701", "E0102", "E0101"]);
    // After Cyrillic, an emoji (two UTF-16 units) and Chinese on the same line.
    let syntax = &diagnostics[0];
    let unit = column_of(&text, 4, "unit percent");
    assert_eq!(
        syntax["range"]["start"],
        json!({"line": 4, "character": unit})
    );
    assert_eq!(
        syntax["range"]["end"],
        json!({"line": 4, "character": unit + 12})
    );
    assert_eq!(
        syntax["codeDescription"]["href"],
        "https://github.com/obc-lang/obc/blob/main/docs/diagnostics.md#e0001-syntax-error"
    );
    let related = &syntax["relatedInformation"][0];
    assert_eq!(related["message"], "this setting is complete");
    assert_eq!(
        related["location"]["range"]["end"],
        json!({"line": 4, "character": column_of(&text, 4, " unit")})
    );
    insta::assert_json_snapshot!("broken_diagnostics", redact(&diagnostics));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn incremental_changes_introduce_and_fix_errors() {
    let mut client = Client::initialized();
    let (uri, text) = client.open_fixture("broken.obc");
    // Delete ` unit percent` after the emoji, in UTF-16 units.
    let from = column_of(&text, 4, " unit");
    client.change(&uri, 2, range((4, from), (4, from + 13)), "");
    assert_eq!(
        codes(&client.diagnostics(&uri)),
        ["W0701", "E0102", "E0101"]
    );

    let (uri, _) = client.open_fixture("imports/contract.obc");
    client.change(&uri, 2, range((15, 16), (15, 18)), "19");
    let found = client.diagnostics(&uri);
    assert_eq!(codes(&found), ["E0101"]);
    assert!(found[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("\nhelp: did you mean `still_home_91`?"));
    assert_eq!(found[0]["range"], range((15, 5), (15, 18)));
    client.change(&uri, 3, range((15, 16), (15, 18)), "91");
    assert_eq!(client.diagnostics(&uri), json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_change_in_an_imported_file_rechecks_the_files_that_import_it() {
    let mut client = Client::initialized();
    let (contract, _) = client.open_fixture("imports/contract.obc");
    let (indicators, _) = client.open_fixture("imports/indicators.obc");
    // Renaming the indicator in the open (unsaved) library breaks the contract importing it.
    client.change(&indicators, 2, range((1, 10), (1, 23)), "home_91");
    assert_eq!(codes(&client.diagnostics(&contract)), ["E0101", "E0101"]);
    // A finding in the imported file goes to the imported file.
    assert_eq!(codes(&client.diagnostics(&indicators)), ["W0701"]);
    client.change(&indicators, 3, range((4, 2), (4, 8)), "better");
    let found = client.diagnostics(&indicators);
    assert!(codes(&found).contains(&"E0001".to_string()), "{found}");
    assert_eq!(client.stop(), Some(0));
}

fn hover_text(client: &mut Client, uri: &str, line: u32, character: u32) -> String {
    let hover = client.request("textDocument/hover", Client::at(uri, line, character));
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hover_on_names_codes_and_keywords() {
    let mut client = Client::initialized();
    let (uri, _) = client.open_fixture("imports/contract.obc");
    let indicator = hover_text(&mut client, &uri, 15, 8);
    let payment = hover_text(&mut client, &uri, 13, 10);
    let code = hover_text(&mut client, &uri, 12, 32);
    let keyword = hover_text(&mut client, &uri, 16, 4);
    insta::assert_snapshot!("hover_indicator", indicator);
    insta::assert_snapshot!("hover_payment", payment);
    assert!(code.starts_with("## E0301: tier-gap"), "{code}");
    assert!(keyword.starts_with("**`tiers`**"), "{keyword}");
    // Nothing to say inside a title.
    let title = client.request("textDocument/hover", Client::at(&uri, 13, 24));
    assert_eq!(title, Value::Null);

    // A contract with errors: a payment as written.
    let (broken, _) = client.open_fixture("broken.obc");
    let written = hover_text(&mut client, &broken, 15, 10);
    assert!(written.contains("`on still_home`"), "{written}");
    assert!(written.contains("as written"), "{written}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn definition_and_references_across_an_import() {
    let mut client = Client::initialized();
    let (uri, _) = client.open_fixture("imports/contract.obc");
    let definition = client.request("textDocument/definition", Client::at(&uri, 15, 8));
    assert_eq!(
        redact(&definition),
        json!({"uri": "file:///FIXTURES/imports/indicators.obc", "range": range((1, 10), (1, 23))})
    );
    let mut params = Client::at(&uri, 25, 10);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params);
    insta::assert_json_snapshot!("references", redact(&references));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn rename_edits_every_file_and_refuses_bad_names() {
    let mut client = Client::initialized();
    let (uri, _) = client.open_fixture("imports/contract.obc");
    let prepared = client.request("textDocument/prepareRename", Client::at(&uri, 15, 8));
    assert_eq!(prepared["placeholder"], "still_home_91");
    let mut params = Client::at(&uri, 15, 8);
    params["newName"] = json!("home_91");
    let edit = client.request("textDocument/rename", params.clone());
    let mut changes: Vec<(String, Value)> = edit["changes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(uri, edits)| (uri.clone(), edits.clone()))
        .collect();
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    insta::assert_json_snapshot!("rename", redact(&json!(changes)));
    for (name, why) in [
        ("target", "word of the language"),
        ("1st", "cannot be a name"),
        ("at_home", "already the name of a payment"),
    ] {
        params["newName"] = json!(name);
        let refused = client.response("textDocument/rename", params.clone());
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(why), "{name}: {refused}");
    }
    // Neither a word of the language nor `total` (the whole contract, in tests) is a name.
    for (line, character) in [(16, 4), (27, 10)] {
        let refused = client.response(
            "textDocument/prepareRename",
            Client::at(&uri, line, character),
        );
        assert!(refused.get("error").is_some(), "{refused}");
    }
    assert_eq!(client.stop(), Some(0));
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn completion_at_the_top_level_and_inside_a_payment() {
    let mut client = Client::initialized();
    let (uri, _) = client.open_fixture("imports/contract.obc");
    // A new line at the top level, and one inside the payment.
    client.change(&uri, 2, range((11, 0), (11, 0)), "\n");
    client.change(&uri, 3, range((16, 0), (16, 0)), "  \n");
    let top = labels(&client.request("textDocument/completion", Client::at(&uri, 11, 0)));
    for block in ["import", "contract", "indicator", "payment", "test"] {
        assert!(top.contains(&block.to_string()), "{block} in {top:?}");
    }
    assert!(!top.contains(&"weight".to_string()), "{top:?}");
    let inside = labels(&client.request("textDocument/completion", Client::at(&uri, 16, 2)));
    for setting in ["weight", "pot", "on", "tiers", "cap", "paid"] {
        assert!(
            inside.contains(&setting.to_string()),
            "{setting} in {inside:?}"
        );
    }
    assert!(!inside.contains(&"unit".to_string()), "{inside:?}");
    // After `on`: the indicators, not the payment.
    client.change(&uri, 4, range((16, 2), (16, 2)), "on ");
    let after_on = labels(&client.request("textDocument/completion", Client::at(&uri, 16, 5)));
    assert_eq!(after_on, ["still_home_91"]);
    // The periods of the term after `in`.
    let periods = labels(&client.request("textDocument/completion", Client::at(&uri, 27, 32)));
    assert!(
        periods.contains(&"2016/17".to_string()) && periods.contains(&"year 5".to_string()),
        "{periods:?}"
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn outline_folding_and_semantic_tokens() {
    let mut client = Client::initialized();
    let initialize = client.response("initialize", json!({"capabilities": {}, "processId": null}));
    // A second initialize is refused.
    assert!(initialize.get("error").is_some(), "{initialize}");
    let (uri, text) = client.open_fixture("imports/contract.obc");
    let document = json!({"textDocument": {"uri": uri}});
    let symbols = client.request("textDocument/documentSymbol", document.clone());
    insta::assert_json_snapshot!("document_symbols", symbols);
    let folding = client.request("textDocument/foldingRange", document.clone());
    insta::assert_json_snapshot!("folding_ranges", folding);
    let tokens = client.request("textDocument/semanticTokens/full", document);
    insta::assert_snapshot!("semantic_tokens", decode_tokens(&tokens["data"], &text));
    assert_eq!(client.stop(), Some(0));
}

/// Semantic tokens as `line:column text type [declaration]`, one a line.
fn decode_tokens(data: &Value, text: &str) -> String {
    let types = [
        "keyword",
        "string",
        "number",
        "comment",
        "variable",
        "function",
        "method",
        "interface",
        "namespace",
        "enumMember",
        "class",
        "parameter",
        "property",
        "type",
        "event",
        "struct",
    ];
    let numbers: Vec<u64> = data
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut column) = (0u64, 0u64);
    let mut out = String::new();
    for token in numbers.chunks(5) {
        let [delta_line, delta_start, length, kind, modifiers] = token else {
            panic!("tokens come in fives");
        };
        if *delta_line > 0 {
            column = 0;
        }
        line += delta_line;
        column += delta_start;
        let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let written = String::from_utf16_lossy(&units[column as usize..(column + length) as usize]);
        out.push_str(&format!(
            "{line}:{column} {written} {}{}\n",
            types[*kind as usize],
            if *modifiers == 1 { " declaration" } else { "" }
        ));
    }
    out
}

#[test]
fn unknown_requests_bad_parameters_and_exit_without_shutdown() {
    let mut client = Client::start();
    let early = client.response("textDocument/hover", Client::at("file:///x.obc", 0, 0));
    assert_eq!(early["error"]["code"], -32002);
    client.request("initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    let unknown = client.response("obc/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.response("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);
    // Documents never opened, and edits to them, are answered with nothing.
    client.change("file:///nowhere.obc", 2, range((0, 0), (9, 9)), "x");
    let nothing = client.request(
        "textDocument/hover",
        Client::at("file:///nowhere.obc", 0, 0),
    );
    assert_eq!(nothing, Value::Null);
    // Odd text and positions far past the end.
    let uri = "untitled:Untitled-1";
    let found = client.open(uri, "payment 😀 {\n  on \u{202e}\"\n}}}{\n");
    assert!(!codes(&found).is_empty());
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/prepareRename",
    ] {
        for (line, character) in [(0, 9), (1, 5), (99, 99), (0, 0)] {
            let answer = client.response(method, Client::at(uri, line, character));
            assert!(answer["error"]["code"] != -32603, "{method}: {answer}");
        }
    }
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

/// The byte offset of a protocol position (UTF-16 columns) in `text`.
fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with protocol text edits made, as an editor makes them (they do not overlap).
fn apply_text_edits(text: &str, edits: &Value) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"]),
                offset_of(text, &e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, &new_text);
    }
    out
}

/// The edits a code action makes to `uri`.
fn action_edits<'a>(action: &'a Value, uri: &str) -> &'a Value {
    &action["edit"]["changes"][uri]
}

#[test]
fn typing_an_example_character_by_character_then_asking_about_it() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/hospital-quality-incentive.obc"),
    )
    .expect("example");
    let mut client = Client::initialized();
    let uri = "file:///typed/hospital-quality-incentive.obc";
    client.open(uri, "");
    let (mut line, mut character) = (0u32, 0u32);
    for (version, c) in text.chars().enumerate() {
        let at = (line, character);
        client.change(uri, version as i32 + 2, range(at, at), &c.to_string());
        if c == '\n' {
            (line, character) = (line + 1, 0);
        } else {
            character += c.len_utf16() as u32;
        }
    }
    // The server has every change: what it says now is what it says of the whole example.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(!symbols.as_array().expect("symbols").is_empty());
    let published: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|m| m["params"]["uri"] == uri)
        .collect();
    let last = published.last().expect("diagnostics were published");
    assert_eq!(last["params"]["diagnostics"], json!([]), "{last}");
    assert_eq!(last["params"]["version"], json!(text.chars().count() + 1));
    // Half-typed, the contract had findings; whole, it has none.
    assert!(published
        .iter()
        .any(|m| m["params"]["diagnostics"] != json!([])));

    let indicator = text
        .lines()
        .position(|l| l.starts_with("indicator "))
        .expect("an indicator") as u32;
    let hover = client.request("textDocument/hover", Client::at(uri, indicator, 11));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|h| h.contains("**indicator `")),
        "{hover}"
    );
    let name_line = text.lines().nth(indicator as usize).expect("line");
    let name = name_line.split_whitespace().nth(1).expect("a name");
    let used = text
        .lines()
        .enumerate()
        .skip(indicator as usize + 1)
        .find(|(_, l)| l.contains(&format!(" {name}")))
        .map(|(i, _)| i)
        .expect("the indicator is used");
    let column = column_of(&text, used, name);
    let definition = client.request(
        "textDocument/definition",
        Client::at(uri, used as u32, column),
    );
    assert_eq!(
        definition["range"]["start"]["line"],
        json!(indicator),
        "{definition}"
    );
    let completion = labels(&client.request("textDocument/completion", Client::at(uri, 0, 0)));
    assert!(
        completion.contains(&"indicator".to_string()),
        "{completion:?}"
    );
    // The example is tidy, so formatting changes nothing.
    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(formatting, json!([]));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn formatting_gives_what_obc_fmt_gives() {
    let messy = "// Payments\npayment p \"P\"{\nweight   100%\n      tiers {\nbelow 80% pays nothing\n  80%   to 100% pays 50%  // half\n}\n}\n\n\n\nflag f \"F\"   \n";
    let mut client = Client::initialized();
    let uri = "file:///formatting/messy.obc";
    client.open(uri, messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": false}}),
    );
    assert_eq!(edits.as_array().map(Vec::len), Some(1), "{edits}");
    assert_eq!(
        apply_text_edits(messy, &edits),
        obc::fmt::format(messy).text
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn quick_fixes_for_pasted_text_and_misspelt_names_and_fixing_a_whole_file() {
    let text = "contract “Reablement” {\n  term 2025-04-01 to 2026-03-31\n  value £100,000 per year\n}\n\nindicator home \"Still at home\" {\n  unit percent\n  better higher\n  reported quarterly\n  target 10 %\n}\n\npayment p \"P\" {\n  weight 100%\n  on hmoe\n  assessed quarterly\n  tiers {\n    below 5% pays nothing\n    5% and above pays 100%\n  }\n}\n";
    let mut client = Client::initialized();
    let uri = "file:///fixes/pasted.obc";
    client.open(uri, text);
    let actions = |client: &mut Client, start: (u32, u32), end: (u32, u32), only: Value| {
        client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range(start, end),
                   "context": {"diagnostics": [], "only": only}}),
        )
    };
    // The curly quote: a preferred quick fix that straightens both quotes of the line.
    let quote = actions(&mut client, (0, 9), (0, 9), json!(["quickfix"]));
    let quote = &quote[0];
    assert_eq!(
        quote["title"], "Replace the curly quotes with straight ones",
        "{quote}"
    );
    assert_eq!(quote["kind"], "quickfix");
    assert_eq!(quote["isPreferred"], true);
    assert_eq!(quote["diagnostics"][0]["code"], "E0001");
    let fixed = apply_text_edits(text, action_edits(quote, uri));
    assert!(fixed.starts_with("contract \"Reablement\" {\n"), "{fixed}");
    // `10 %`: the space goes.
    let percent = actions(&mut client, (9, 9), (9, 13), json!(["quickfix"]));
    assert_eq!(percent[0]["title"], "Write `10%`", "{percent}");
    assert!(apply_text_edits(text, action_edits(&percent[0], uri)).contains("target 10%\n"));
    // No quick fix on a line without findings.
    assert_eq!(
        actions(&mut client, (6, 0), (6, 4), json!(["quickfix"])),
        json!([])
    );
    // Fixing the whole file makes the certain fixes, and leaves the guess about the name.
    let all = actions(&mut client, (0, 0), (0, 0), json!(["source.fixAll"]));
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
    assert_eq!(all[0]["kind"], "source.fixAll.obc");
    let fixed = apply_text_edits(text, action_edits(&all[0], uri));
    assert!(!fixed.contains('“') && fixed.contains("target 10%\n") && fixed.contains("hmoe"));
    // With the quotes fixed, the name is checked, and its fix is a guess: offered, not preferred.
    client.change(uri, 2, range((0, 0), (50, 0)), &fixed);
    let name = actions(&mut client, (14, 5), (14, 5), Value::Null);
    let name = &name[0];
    assert_eq!(name["title"], "Change `hmoe` to `home`", "{name}");
    assert_eq!(name["isPreferred"], false);
    assert!(apply_text_edits(&fixed, action_edits(name, uri)).contains("  on home\n"));
    assert_eq!(client.stop(), Some(0));
}

/// Inputs the fuzzer (fuzz/fuzz_targets/lsp_edits.rs) found to crash the server, in
/// `tests/lsp/found-by-fuzzing/`: each is opened and asked every request at every place the
/// fuzzer asks (the start, a few lines in, the end), and must be answered without an error.
#[test]
fn inputs_found_by_fuzzing_are_answered() {
    let folder = fixtures().join("found-by-fuzzing");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("the folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut client = Client::initialized();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a fixture");
        let uri = url(&file);
        client.open(&uri, &text);
        let lines = text.lines().count().min(250) as u32;
        let document = json!({"textDocument": {"uri": uri}});
        for (line, character) in [(0, 0), (lines / 2, 4), (lines, 0), (lines / 3, 12)] {
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/prepareRename",
                "textDocument/completion",
            ] {
                let response = client.response(method, Client::at(&uri, line, character));
                assert!(
                    response
                        .get("error")
                        .is_none_or(|e| e["code"] != json!(-32603)),
                    "{method} at {line}:{character} of {}: {response}",
                    file.display()
                );
            }
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/semanticTokens/full",
        ] {
            client.request(method, document.clone());
        }
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn bytes_that_are_not_utf8_and_broken_frames_do_not_stop_the_server() {
    let mut client = Client::initialized();
    let uri = "file:///bytes/latin1.obc";
    // A contract saved in Latin-1: `£` is the single byte 0xA3, which is not UTF-8.
    let body = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{{\"textDocument\":{{\"uri\":\"{uri}\",\"languageId\":\"obc\",\"version\":1,\"text\":\"contract \\\"C\\\" {{\\n  value "
    );
    let mut frame = body.into_bytes();
    frame.extend_from_slice(b"\xa3100 per year\\n}\\n\"}}}");
    let stdin = client.stdin.as_mut().expect("stdin open");
    write!(stdin, "Content-Length: {}\r\n\r\n", frame.len()).expect("write");
    stdin.write_all(&frame).expect("write");
    // A frame without a length, and one that is not a message.
    stdin
        .write_all(b"Content-Type: text/plain\r\n\r\n")
        .expect("write");
    write!(stdin, "Content-Length: 8\r\n\r\nnot json").expect("write");
    stdin.flush().expect("flush");
    // The document is checked, its bad byte read as U+FFFD and reported where it is.
    let diagnostics = client.diagnostics(uri);
    let found = diagnostics.to_string();
    assert!(
        found.contains("E0001") && found.contains(r#""line":1"#),
        "{diagnostics}"
    );
    // The skipped frames are logged to the editor, and the server still answers.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.is_array(), "{symbols}");
    let logged: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|m| m["method"] == "window/logMessage")
        .collect();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert!(logged[0]["params"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("Content-Length")));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn references_and_rename_reach_contracts_on_disk_that_are_not_open() {
    let mut client = Client::initialized();
    // Only the library is open; the contract that imports it is on disk beside it.
    let (uri, _) = client.open_fixture("imports/indicators.obc");
    let mut params = Client::at(&uri, 1, 12);
    params["context"] = json!({"includeDeclaration": false});
    let references = redact(&client.request("textDocument/references", params));
    let files: BTreeSet<&str> = references
        .as_array()
        .expect("references")
        .iter()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert_eq!(
        files,
        BTreeSet::from(["file:///FIXTURES/imports/contract.obc"]),
        "{references}"
    );
    let mut params = Client::at(&uri, 1, 12);
    params["newName"] = json!("home_91");
    let edit = redact(&client.request("textDocument/rename", params));
    let contract = edit["changes"]["file:///FIXTURES/imports/contract.obc"]
        .as_array()
        .map_or(0, Vec::len);
    let library = edit["changes"]["file:///FIXTURES/imports/indicators.obc"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!((library, contract), (1, 2), "{edit}");
    assert_eq!(client.stop(), Some(0));
}
