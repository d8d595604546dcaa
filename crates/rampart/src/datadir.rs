//! The data directory: the master key, and the SQLite database beside it unless the rows
//! live in PostgreSQL.
//!
//! The master key is kept outside the database on purpose: a copy of `rampart.db` (or of
//! the PostgreSQL database) alone reveals no secret access key. Both files are created
//! owner-only. With PostgreSQL every node needs the same key: `rampart init` on the first
//! node creates it, the other nodes get a copy of `master.key` in their data directory; a
//! node without one refuses to start on a database that already holds data.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use rampart_core::engine::Engine;
use rampart_core::secrets::MasterKey;
use rampart_core::store::Store;
use rampart_store::{PostgresStore, SqliteStore};

use crate::config::StoreChoice;

const DATABASE_FILE: &str = "rampart.db";
const MASTER_KEY_FILE: &str = "master.key";

/// Whether a command may create a missing data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// `serve` and `init` start a new data directory.
    Create,
    /// Every other command works on an existing one: a missing directory is almost always
    /// the command run from another folder, which must not start an empty second instance.
    Refuse,
}

/// Opens the data directory at `dir` and the store `choice` names, creating the directory
/// (when `missing` allows), its master key and the schema on first use. The directory must
/// be writable and the master key readable by its owner only.
pub fn open(dir: &Path, choice: &StoreChoice, missing: Missing) -> anyhow::Result<Engine> {
    if missing == Missing::Refuse && !dir.is_dir() {
        bail!(
            "no data directory at {}: run the command where `rampart serve` keeps its data, \
             or name it with --data-dir (or RAMPART_DATA_DIR)",
            dir.display()
        );
    }
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data directory {}", dir.display()))?;
    check_writable(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot restrict permissions of {}", dir.display()))?;
    let store: Arc<dyn Store> = match choice {
        StoreChoice::Sqlite => Arc::new(
            SqliteStore::open(&database_path(dir))
                .with_context(|| format!("cannot open database in {}", dir.display()))?,
        ),
        StoreChoice::Postgres(url) => Arc::new(
            PostgresStore::open(url).with_context(|| format!("cannot open database {choice}"))?,
        ),
    };
    let master = load_or_create_master_key(&dir.join(MASTER_KEY_FILE), store.as_ref(), choice)?;
    Engine::open(store, master).context("cannot load the database")
}

/// Where the data is, for messages: the directory, or the (password-free) URL and the key's directory.
pub fn describe(dir: &Path, choice: &StoreChoice) -> String {
    match choice {
        StoreChoice::Sqlite => dir.display().to_string(),
        StoreChoice::Postgres(_) => format!("{choice} (master key in {})", dir.display()),
    }
}

/// The database file inside `dir`.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

/// Refuses a data directory the process cannot write: otherwise the server would start,
/// say it is listening, and answer every write with a generic failure.
fn check_writable(dir: &Path) -> anyhow::Result<()> {
    let probe = dir.join(".rampart-write-probe");
    fs::write(&probe, b"")
        .and_then(|()| fs::remove_file(&probe))
        .with_context(|| format!("the data directory {} is not writable", dir.display()))
}

/// Refuses a master key other users can read (as ssh refuses such a private key).
fn check_key_permissions(path: &Path) -> anyhow::Result<()> {
    let mode = fs::metadata(path)
        .with_context(|| format!("cannot read master key {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        bail!(
            "master key {} is accessible by other users (mode {:o}); restrict it with `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        );
    }
    Ok(())
}

fn load_or_create_master_key(
    path: &Path,
    store: &dyn Store,
    choice: &StoreChoice,
) -> anyhow::Result<MasterKey> {
    match fs::read(path) {
        Ok(bytes) => {
            check_key_permissions(path)?;
            let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                bail!("master key {} must be exactly 32 bytes", path.display());
            };
            Ok(MasterKey::from_bytes(raw))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // A key made now could not open the secrets already sealed in the database.
            if store.current_seq()? > 0 {
                match choice {
                    StoreChoice::Sqlite => {
                        bail!(
                            "the database exists but its master key {} is missing; secrets cannot be opened",
                            path.display()
                        )
                    }
                    StoreChoice::Postgres(_) => bail!(
                        "the database {choice} already holds data but this node has no master key {}; \
                         copy `{MASTER_KEY_FILE}` from the node that ran `rampart init`",
                        path.display()
                    ),
                }
            }
            let key = MasterKey::generate();
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .with_context(|| format!("cannot create master key {}", path.display()))?;
            file.write_all(&key.to_bytes())?;
            file.sync_all()?;
            Ok(key)
        }
        Err(err) => Err(err).with_context(|| format!("cannot read master key {}", path.display())),
    }
}
