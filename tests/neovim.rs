//! A real editor client: headless Neovim attaches to `obc lsp` (`tests/neovim/attach.lua`),
//! opens a broken contract and writes down the diagnostics it received, which are compared
//! with a snapshot. Neovim comes from Debian's `neovim` package (`.ci/run` installs it); without
//! it the test fails and says so.

use std::path::Path;
use std::process::Command;

#[test]
fn neovim_receives_the_diagnostics_of_obc_check() {
    let found = Command::new("nvim").arg("--version").output();
    assert!(
        found.as_ref().is_ok_and(|o| o.status.success()),
        "this test needs Neovim: install Debian's `neovim` package (`apt-get install neovim`), as .ci/run does"
    );
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neovim");
    let result = std::env::temp_dir().join(format!("obc-neovim-{}.txt", std::process::id()));
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-c", "luafile attach.lua"])
        .current_dir(&here)
        .env("OBC", env!("CARGO_BIN_EXE_obc"))
        .env("CONTRACT", here.join("broken.obc"))
        .env("RESULT", &result)
        .output()
        .expect("nvim runs");
    let received = std::fs::read_to_string(&result).unwrap_or_else(|e| {
        panic!(
            "Neovim wrote nothing ({e}); status {:?}, stderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let _ = std::fs::remove_file(&result);
    insta::assert_snapshot!("neovim_diagnostics", received);
}
