//! The server's state and main loop: the open documents, their checked workspaces, what was
//! last published, and one handler a request or notification.
//!
//! Messages are handled one at a time, in order. Every change to a document re-checks every open
//! document (it may import the changed one), so requests always read current workspaces. A
//! handler that fails is answered with an error and the server carries on.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response, ResponseError};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{Diagnostic, Position, PublishDiagnosticsParams, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::documents::Document;
use super::navigation::{self, snapshot_for};
use super::position::Lines;
use super::snapshot::Snapshot;
use super::{actions, completion, diagnostics, hover, structure, tokens, transport};

struct Server {
    documents: BTreeMap<Url, Document>,
    /// The checked workspace of each open document that no other open document imports.
    snapshots: Vec<Snapshot>,
    /// The diagnostics last published for each address.
    published: BTreeMap<Url, Vec<Diagnostic>>,
    import_folders: Vec<PathBuf>,
}

/// Serves one client until it says `exit`. An error for an exit without `shutdown` first (the
/// protocol asks for exit status 1 then) or a connection that closes.
pub fn serve(connection: &Connection, import_folders: &[PathBuf]) -> Result<(), String> {
    let mut server = Server {
        documents: BTreeMap::new(),
        snapshots: Vec::new(),
        published: BTreeMap::new(),
        import_folders: import_folders.to_vec(),
    };
    let send = |message: Message| {
        connection
            .sender
            .send(message)
            .map_err(|_| "the client closed the connection".to_string())
    };
    let (mut initialized, mut shutting_down) = (false, false);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = if request.method == req::Initialize::METHOD && !initialized {
                    initialized = true;
                    Response::new_ok(id, super::initialize_result())
                } else if !initialized {
                    error(
                        id,
                        ErrorCode::ServerNotInitialized,
                        "the server is not initialized",
                    )
                } else if shutting_down {
                    error(id, ErrorCode::InvalidRequest, "the server is shutting down")
                } else if request.method == req::Shutdown::METHOD {
                    shutting_down = true;
                    Response::new_ok(id, ())
                } else {
                    server.request(request)
                };
                send(response.into())?;
            }
            Message::Notification(notification) => {
                if notification.method == note::Exit::METHOD {
                    return match shutting_down {
                        true => Ok(()),
                        false => Err("the client said exit before shutdown".to_string()),
                    };
                }
                if initialized && !shutting_down {
                    for message in server.notification(notification) {
                        send(message)?;
                    }
                }
            }
            Message::Response(_) => {}
        }
    }
    Err("the client closed the connection without saying exit".to_string())
}

fn error(id: lsp_server::RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, ResponseError> {
    serde_json::from_value(value).map_err(|e| ResponseError {
        code: ErrorCode::InvalidParams as i32,
        message: format!("invalid parameters: {e}"),
        data: None,
    })
}

fn failed(message: String) -> ResponseError {
    ResponseError {
        code: ErrorCode::RequestFailed as i32,
        message,
        data: None,
    }
}

fn to_value<T: serde::Serialize>(value: T) -> Result<Value, ResponseError> {
    serde_json::to_value(value).map_err(|e| failed(e.to_string()))
}

impl Server {
    fn request(&self, request: Request) -> Response {
        let Request { id, method, params } = request;
        let outcome = catch_unwind(AssertUnwindSafe(|| self.answer(&method, params)));
        let result = match outcome {
            Ok(result) => result,
            Err(_) => Err(ResponseError {
                code: ErrorCode::InternalError as i32,
                message: format!("obc failed while answering `{method}`: please report it"),
                data: None,
            }),
        };
        Response {
            id,
            response_result: result,
        }
    }

    /// The workspaces of contracts on disk, not open, that import a file of `url`'s workspace.
    fn closed_importers(&self, url: &Url) -> Vec<Snapshot> {
        snapshot_for(&self.snapshots, url)
            .map(|(s, _)| navigation::closed_importers(s, &self.documents, &self.import_folders))
            .unwrap_or_default()
    }

    /// The snapshot, file and byte offset of a position in a document.
    fn at(
        &self,
        url: &Url,
        position: Position,
    ) -> Option<(&Snapshot, crate::source::FileId, usize)> {
        let (snapshot, file) = snapshot_for(&self.snapshots, url)?;
        let offset = Lines::new(snapshot.text(file)).offset(position);
        Some((snapshot, file, offset))
    }

    fn answer(&self, method: &str, value: Value) -> Result<Value, ResponseError> {
        let snapshots = &self.snapshots;
        match method {
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(value)?;
                let at = p.text_document_position_params;
                let found = self
                    .at(&at.text_document.uri, at.position)
                    .and_then(|(s, file, offset)| hover::hover(s, file, offset));
                to_value(found)
            }
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(value)?;
                let at = p.text_document_position_params;
                let found = navigation::definition(snapshots, &at.text_document.uri, at.position)
                    .map(lsp_types::GotoDefinitionResponse::Scalar);
                to_value(found)
            }
            req::References::METHOD => {
                let p: lsp_types::ReferenceParams = params(value)?;
                let at = p.text_document_position;
                let closed = self.closed_importers(&at.text_document.uri);
                to_value(navigation::references(
                    snapshots,
                    &closed,
                    &at.text_document.uri,
                    at.position,
                    p.context.include_declaration,
                ))
            }
            req::PrepareRenameRequest::METHOD => {
                let at: lsp_types::TextDocumentPositionParams = params(value)?;
                navigation::prepare_rename(snapshots, &at.text_document.uri, at.position)
                    .map_err(failed)
                    .and_then(to_value)
            }
            req::Rename::METHOD => {
                let p: lsp_types::RenameParams = params(value)?;
                let at = p.text_document_position;
                let new_name = p.new_name.trim();
                let closed = self.closed_importers(&at.text_document.uri);
                let url = &at.text_document.uri;
                navigation::rename(snapshots, &closed, url, at.position, new_name)
                    .map_err(failed)
                    .and_then(to_value)
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(value)?;
                let at = p.text_document_position;
                let items = self
                    .at(&at.text_document.uri, at.position)
                    .map(|(s, file, offset)| completion::completion(s, file, offset))
                    .unwrap_or_default();
                to_value(lsp_types::CompletionResponse::Array(items))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(value)?;
                let found = snapshot_for(snapshots, &p.text_document.uri)
                    .map(|(s, file)| structure::document_symbols(s, file))
                    .unwrap_or_default();
                to_value(lsp_types::DocumentSymbolResponse::Nested(found))
            }
            req::FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = params(value)?;
                let found = snapshot_for(snapshots, &p.text_document.uri)
                    .map(|(s, file)| structure::folding_ranges(s, file))
                    .unwrap_or_default();
                to_value(found)
            }
            req::SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = params(value)?;
                let data = snapshot_for(snapshots, &p.text_document.uri)
                    .map(|(s, file)| tokens::semantic_tokens(s, file))
                    .unwrap_or_default();
                to_value(lsp_types::SemanticTokens {
                    result_id: None,
                    data,
                })
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(value)?;
                let url = &p.text_document.uri;
                let found = snapshot_for(snapshots, url)
                    .map(|(s, file)| {
                        let only = p.context.only.as_deref();
                        actions::code_actions(s, file, url, p.range, only)
                    })
                    .unwrap_or_default();
                to_value(found)
            }
            req::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(value)?;
                let edits = self
                    .documents
                    .get(&p.text_document.uri)
                    .map(|d| actions::formatting(&d.text))
                    .unwrap_or_default();
                to_value(edits)
            }
            _ => Err(ResponseError {
                code: ErrorCode::MethodNotFound as i32,
                message: format!("obc does not answer `{method}`"),
                data: None,
            }),
        }
    }

    /// Handles a notification; what to send back (diagnostics).
    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let Notification { method, params } = notification;
        let touched = match method.as_str() {
            transport::SKIPPED_FRAME => return vec![transport::log_message(&params)],
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                let doc = p.text_document;
                let document = Document {
                    text: doc.text,
                    version: doc.version,
                };
                self.documents.insert(doc.uri.clone(), document);
                Some(doc.uri)
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return Vec::new();
                };
                document.apply(p.text_document.version, &p.content_changes);
                Some(uri)
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                if let (Some(text), Some(document)) =
                    (p.text, self.documents.get_mut(&p.text_document.uri))
                {
                    document.text = text;
                }
                Some(p.text_document.uri)
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                None
            }
            note::DidChangeWatchedFiles::METHOD => None,
            _ => return Vec::new(),
        };
        self.recheck();
        self.publish(touched.as_ref())
    }

    /// Checks every open document, keeping the workspaces of those no other open document
    /// imports (a document both imports and is imported by, in a cycle, is kept too).
    fn recheck(&mut self) {
        let mut checked: Vec<Snapshot> = self
            .documents
            .iter()
            .filter_map(|(url, document)| {
                catch_unwind(AssertUnwindSafe(|| {
                    Snapshot::check(url, document, &self.documents, &self.import_folders)
                }))
                .ok()
            })
            .collect();
        for snapshot in checked.iter_mut().filter(|s| s.calendar.is_none()) {
            let before = self.snapshots.iter().find(|s| s.root == snapshot.root);
            snapshot.calendar = before.and_then(|s| s.calendar);
        }
        let imported: Vec<bool> = checked
            .iter()
            .map(|s| {
                checked
                    .iter()
                    .any(|o| o.root != s.root && o.includes(&s.root) && !s.includes(&o.root))
            })
            .collect();
        self.snapshots = checked
            .into_iter()
            .zip(imported)
            .filter(|(_, imported)| !imported)
            .map(|(s, _)| s)
            .collect();
    }

    /// Publishes the diagnostics of every file whose diagnostics changed, of `touched` always,
    /// and empty diagnostics for files that no longer have any.
    fn publish(&mut self, touched: Option<&Url>) -> Vec<Message> {
        let mut now: BTreeMap<Url, Vec<Diagnostic>> = BTreeMap::new();
        for url in self.documents.keys() {
            now.insert(url.clone(), Vec::new());
        }
        for snapshot in &self.snapshots {
            for (url, found) in diagnostics::by_file(snapshot) {
                let list = now.entry(url).or_default();
                for diagnostic in found {
                    if !list.contains(&diagnostic) {
                        list.push(diagnostic);
                    }
                }
            }
        }
        let mut messages = Vec::new();
        let mut send = |uri: &Url, diagnostics: Vec<Diagnostic>| {
            let version = self.documents.get(uri).map(|d| d.version);
            let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics, version);
            messages.push(Message::Notification(Notification::new(
                note::PublishDiagnostics::METHOD.to_string(),
                params,
            )));
        };
        for uri in self.published.keys().filter(|u| !now.contains_key(*u)) {
            send(uri, Vec::new());
        }
        for (uri, found) in &now {
            if self.published.get(uri) != Some(found) || Some(uri) == touched {
                send(uri, found.clone());
            }
        }
        now.retain(|uri, found| !found.is_empty() || self.documents.contains_key(uri));
        self.published = now;
        messages
    }
}
