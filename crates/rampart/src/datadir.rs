//! The data directory: the SQLite database and the master key beside it.
//!
//! The master key is kept outside the database on purpose: a copy of `rampart.db` alone
//! reveals no secret access key. Both files are created owner-only.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use rampart_core::engine::Engine;
use rampart_core::secrets::MasterKey;
use rampart_store::SqliteStore;

const DATABASE_FILE: &str = "rampart.db";
const MASTER_KEY_FILE: &str = "master.key";

/// Opens the data directory at `dir`, creating it, its master key and its schema on first use.
pub fn open(dir: &Path) -> anyhow::Result<Engine> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create data directory {}", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot restrict permissions of {}", dir.display()))?;
    let master = load_or_create_master_key(&dir.join(MASTER_KEY_FILE))?;
    let store = SqliteStore::open(&database_path(dir)).with_context(|| format!("cannot open database in {}", dir.display()))?;
    Engine::open(Arc::new(store), master).context("cannot load the database")
}

/// The database file inside `dir`.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

fn load_or_create_master_key(path: &Path) -> anyhow::Result<MasterKey> {
    match fs::read(path) {
        Ok(bytes) => {
            let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                bail!("master key {} must be exactly 32 bytes", path.display());
            };
            Ok(MasterKey::from_bytes(raw))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if database_path(path.parent().unwrap_or(Path::new("."))).exists()
                && rampart_store::sqlite::has_database(&database_path(path.parent().unwrap_or(Path::new("."))))?
            {
                bail!("the database exists but its master key {} is missing; secrets cannot be opened", path.display());
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
