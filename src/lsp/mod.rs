//! `obc lsp`: a language server over standard input and output, for editors. It checks open
//! documents as `obc check` does (with their imports, open documents standing in for the files
//! on disk) and offers hover, navigation, rename, completion, an outline, folding and semantic
//! tokens. Positions are in UTF-16 code units, the protocol's default. docs/editors.md says
//! what it offers and how.

mod actions;
mod completion;
mod diagnostics;
mod documents;
mod hover;
mod lexer;
mod navigation;
mod position;
mod server;
mod snapshot;
mod structure;
mod tokens;
mod transport;

use std::path::PathBuf;

use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeResult, OneOf,
    PositionEncodingKind, RenameOptions, SaveOptions, SemanticTokensFullOptions,
    SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};

pub use diagnostics::{docs_url, DIAGNOSTICS_DOCS};

/// Serves one editor on `connection` until it says `exit`, as [`run_stdio`] does on standard
/// input and output (for tests and fuzzing, over an in-memory connection).
pub fn serve(connection: &Connection, import_folders: &[PathBuf]) -> Result<(), String> {
    server::serve(connection, import_folders)
}

/// Serves one editor over standard input and output until it says `exit`. Imports may read the
/// folders in `import_folders` besides each contract's own. An error (for the caller to report
/// and exit with status 1) when the editor exits without shutting the server down first, or the
/// connection fails.
pub fn run_stdio(import_folders: &[PathBuf]) -> Result<(), String> {
    let (connection, writer) = transport::stdio();
    let served = serve(&connection, import_folders);
    // Dropping the connection ends the writer once it has written everything the server sent.
    drop(connection);
    let written = writer.join();
    served?;
    written.map_err(|_| "writing to the editor failed".to_string())
}

/// What the server offers, in answer to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "obc".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    }
}
