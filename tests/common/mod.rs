//! Helpers shared by the test binaries.

use std::path::{Path, PathBuf};

/// Every `.obc` file under `dir`, sorted.
pub fn obc_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "obc") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
