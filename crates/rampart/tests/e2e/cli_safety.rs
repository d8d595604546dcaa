//! Admin command safety (issue 13 item 9): commands never start a second, empty instance by
//! accident, `init` loses no secret when the AWS profile cannot be written, and the server
//! refuses a data directory it cannot write or a master key others can read.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use crate::harness::{Server, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_rampart");

fn rampart(args: &[&str], dir: &TempDir) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("RAMPART_STORE")
        .env_remove("RAMPART_DATA_DIR")
        .env("AWS_CONFIG_FILE", dir.0.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.0.join("aws-credentials"))
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn commands_other_than_serve_and_init_refuse_a_missing_data_directory() {
    let tmp = TempDir::new();
    let missing = tmp.0.join("elsewhere");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["status", "--data-dir", missing],
        vec![
            "account",
            "create",
            "--email",
            "x@example.com",
            "--data-dir",
            missing,
        ],
        vec!["audit", "--account", "123456789012", "--data-dir", missing],
    ] {
        let out = rampart(&args, &tmp);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains("--data-dir"), "{}", stderr(&out));
    }
    assert!(
        !tmp.0.join("elsewhere").exists(),
        "a data directory was created"
    );
}

#[test]
fn init_creates_nothing_when_the_aws_profile_cannot_be_written() {
    let tmp = TempDir::new();
    let data = tmp.0.join("data");
    // A regular file where the config folder should be: no profile can be written there.
    std::fs::write(tmp.0.join("not-a-folder"), b"").unwrap();
    let out = Command::new(BIN)
        .args(["init", "--root-email", "root@example.com", "--data-dir"])
        .arg(&data)
        .env_remove("RAMPART_STORE")
        .env("AWS_CONFIG_FILE", tmp.0.join("not-a-folder").join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", tmp.0.join("aws-credentials"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nothing was created"),
        "{}",
        stderr(&out)
    );
    // The same init with a writable profile succeeds: nothing was half-created.
    let out = rampart(
        &[
            "init",
            "--root-email",
            "root@example.com",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &tmp,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_master_key_readable_by_others_is_refused() {
    let server = Server::start();
    let key = server.data_dir().join("master.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = server.rampart(&["status"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
}

#[test]
fn serve_refuses_a_data_directory_it_cannot_write() {
    let tmp = TempDir::new();
    let data = tmp.0.join("data");
    std::fs::create_dir_all(&data).unwrap();
    // Permission bits do not stop root (CI runs as root), so make the write fail another
    // way: the probe's name is taken by a non-empty folder.
    std::fs::create_dir_all(data.join(".rampart-write-probe").join("x")).unwrap();
    let out = rampart(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &tmp,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not writable"), "{}", stderr(&out));
}
