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

/// Opens the data directory at `dir` and the store `choice` names, creating the directory,
/// its master key and the schema on first use.
pub fn open(dir: &Path, choice: &StoreChoice) -> anyhow::Result<Engine> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data directory {}", dir.display()))?;
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

fn load_or_create_master_key(
    path: &Path,
    store: &dyn Store,
    choice: &StoreChoice,
) -> anyhow::Result<MasterKey> {
    match fs::read(path) {
        Ok(bytes) => {
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
