//! The server's end of standard input and output: protocol frames (`Content-Length` headers,
//! then a JSON body) read and written on two threads of their own, joined to the server by an
//! in-memory connection.
//!
//! Reading is forgiving where lsp-server's own reader is not: a body that is not UTF-8 is read
//! with each bad byte as U+FFFD (so the document is checked and its findings point at the
//! replacement character, rather than the server stopping), and a frame that cannot be read
//! (no length, a body that is not a message, a body over [`MAX_FRAME_BYTES`]) is skipped and
//! reported to the editor's log. Only the end of input stops reading.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{Connection, Message, Notification};
use lsp_types::notification::{LogMessage, Notification as _};
use lsp_types::{LogMessageParams, MessageType};

/// The largest frame read: well over the largest contract obc reads (16 MiB) written as JSON.
pub const MAX_FRAME_BYTES: usize = 128 * 1024 * 1024;

/// Starts the reader and writer threads. The connection returned is the server's: what it sends
/// is written to standard output, and what standard input holds arrives on its receiver. The
/// writer ends when the connection is dropped; the reader when input ends.
pub fn stdio() -> (Connection, std::thread::JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let Connection {
        sender: incoming,
        receiver: outgoing,
    } = client;
    std::thread::spawn(move || {
        let mut input = io::stdin().lock();
        while let Some(read) = read_frame(&mut input, MAX_FRAME_BYTES) {
            let message = read.unwrap_or_else(|problem| {
                Message::Notification(Notification::new(
                    SKIPPED_FRAME.to_string(),
                    serde_json::json!({ "message": problem }),
                ))
            });
            if incoming.send(message).is_err() {
                break;
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let mut output = io::stdout().lock();
        for message in outgoing {
            if message
                .write(&mut output)
                .and_then(|()| output.flush())
                .is_err()
            {
                break;
            }
        }
    });
    (server, writer)
}

/// What the reader tells the server of a frame it skipped (a method no editor sends, as the
/// protocol reserves `$/` for its own): the server logs it to the editor. The reader does not
/// write to the editor itself, so that the writer ends as soon as the server is done.
pub const SKIPPED_FRAME: &str = "obc/skippedFrame";

/// The log message for the editor about a skipped frame.
pub fn log_message(params: &serde_json::Value) -> Message {
    let problem = params["message"]
        .as_str()
        .unwrap_or("a message was skipped");
    let params = LogMessageParams {
        typ: MessageType::WARNING,
        message: format!("obc lsp: {problem}"),
    };
    Message::Notification(Notification::new(LogMessage::METHOD.to_string(), params))
}

/// The next frame: a message, a problem with a frame that was skipped (one of more than
/// `max_bytes` among them), or `None` at the end of the input.
pub fn read_frame(input: &mut impl BufRead, max_bytes: usize) -> Option<Result<Message, String>> {
    let mut length = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match input.take(64 * 1024).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let Some(length) = length else {
        return Some(Err(
            "a message without a valid Content-Length was skipped".to_string()
        ));
    };
    if length > max_bytes {
        let skipped = io::copy(&mut input.take(length as u64), &mut io::sink());
        return match skipped {
            Ok(n) if n == length as u64 => Some(Err(format!(
                "a message of {length} bytes was skipped: the most obc reads is {max_bytes}"
            ))),
            _ => None,
        };
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return None;
    }
    let text = String::from_utf8_lossy(&body);
    Some(
        serde_json::from_str::<Message>(&text)
            .map_err(|e| format!("a message that is not JSON-RPC was skipped ({e})")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every frame of `bytes`, of at most 1,000 bytes each.
    fn frames(bytes: &[u8]) -> Vec<Result<String, String>> {
        let mut input = io::BufReader::new(bytes);
        std::iter::from_fn(|| read_frame(&mut input, 1000))
            .map(|r| r.map(|m| serde_json::to_string(&m).unwrap_or_default()))
            .collect()
    }

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_body_that_is_not_utf8_is_read_with_replacement_characters() {
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"text\":\"a\xff\"}}";
        let read = frames(&frame(body));
        assert_eq!(read.len(), 1);
        assert!(
            read[0].as_ref().is_ok_and(|m| m.contains("a\u{fffd}")),
            "{read:?}"
        );
    }

    #[test]
    fn frames_that_cannot_be_read_are_skipped_and_reading_goes_on() {
        let mut input = b"Content-Type: x\r\n\r\n".to_vec();
        input.extend(frame(b"not json"));
        input.extend(frame(&[b' '; 1001]));
        input.extend(frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        let read = frames(&input);
        assert_eq!(read.len(), 4, "{read:?}");
        assert!(read[0]
            .as_ref()
            .is_err_and(|e| e.contains("Content-Length")));
        assert!(read[1].as_ref().is_err_and(|e| e.contains("not JSON-RPC")));
        assert!(read[2].as_ref().is_err_and(|e| e.contains("skipped")));
        assert!(read[3].as_ref().is_ok_and(|m| m.contains("exit")));
    }

    #[test]
    fn input_that_ends_inside_a_frame_ends_reading() {
        assert!(frames(b"Content-Length: 40\r\n\r\n{\"jsonrpc\"").is_empty());
        assert!(frames(b"").is_empty());
    }
}
