//! Trails on this machine: a trail's `S3BucketName` is a directory under the trail root
//! (`--trail-root`, by default `DATA_DIR/trails`), so bucket `audit-logs` is
//! `DATA_DIR/trails/audit-logs/` and its objects are files at their keys' paths. This
//! module writes and reads those files ([`DirBucket`]), runs delivery in the background
//! ([`delivery_loop`]), and carries out `rampart audit verify` and `rampart audit
//! public-key`. What to deliver and how to name and sign it is `rampart_core::delivery`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use rampart_core::delivery::digest::{self, DigestSigner};
use rampart_core::delivery::verify::{VerifyRange, verify};
use rampart_core::delivery::{Bucket, DeliverySettings, deliver};
use rampart_core::engine::Engine;
use rampart_core::model::TrailRecord;

/// The trail root unless told otherwise: `trails` in the data directory.
pub fn default_trail_root(data_dir: &Path) -> PathBuf {
    data_dir.join("trails")
}

/// Buckets as directories under `root`.
#[derive(Debug, Clone)]
pub struct DirBucket {
    root: PathBuf,
}

impl DirBucket {
    /// Buckets under `root`.
    pub fn new(root: PathBuf) -> DirBucket {
        DirBucket { root }
    }

    /// The file of `key` in `bucket`. Bucket names and key prefixes were checked when the
    /// trail was made (no `/` or `..` in a bucket, no `..` segment in a prefix), and the
    /// rest of every key is Rampart's own layout.
    fn path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root.join(bucket).join(key)
    }
}

impl Bucket for DirBucket {
    /// Writes through a temporary file and a rename, with an fsync, so a reader never sees
    /// half a file and a written file survives a crash.
    fn put(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.path(bucket, key);
        let dir = path.parent().ok_or("object has no folder")?;
        fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let temporary = path.with_extension("partial");
        let written = fs::File::create(&temporary)
            .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
            .and_then(|()| fs::rename(&temporary, &path));
        written.map_err(|err| format!("{}: {err}", path.display()))
    }

    fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, String> {
        match fs::read(self.path(bucket, key)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.to_string()),
        }
    }
}

/// How the server delivers trails.
#[derive(Debug, Clone)]
pub struct TrailConfig {
    /// The directory buckets live in.
    pub root: PathBuf,
    /// Seconds between delivery rounds.
    pub interval_secs: u64,
    /// Seconds between digests of one folder.
    pub digest_interval_secs: u64,
}

/// Events are delivered once they are this many seconds old (see `rampart_core::delivery`).
const SETTLE_SECS: i64 = 3;

/// Delivers every logging trail's new events every `config.interval_secs` seconds.
pub async fn delivery_loop(engine: Arc<Engine>, config: TrailConfig) {
    let signer = match DigestSigner::from_master(engine.master()) {
        Ok(signer) => Arc::new(signer),
        Err(err) => {
            tracing::error!(%err, "no digest signing key: trails are not delivered");
            return;
        }
    };
    let bucket = Arc::new(DirBucket::new(config.root.clone()));
    let settings = DeliverySettings {
        digest_interval: i64::try_from(config.digest_interval_secs).unwrap_or(i64::MAX),
        settle: SETTLE_SECS,
    };
    let mut ticker = tokio::time::interval(Duration::from_secs(config.interval_secs.max(1)));
    loop {
        ticker.tick().await;
        let (engine, signer, bucket) = (
            Arc::clone(&engine),
            Arc::clone(&signer),
            Arc::clone(&bucket),
        );
        let round = tokio::task::spawn_blocking(move || {
            deliver(
                &engine,
                &signer,
                bucket.as_ref(),
                settings,
                crate::clock::now(),
            )
        })
        .await;
        match round {
            Ok(Ok(done)) if done.log_files + done.digests > 0 => {
                tracing::debug!(
                    log_files = done.log_files,
                    digests = done.digests,
                    "trails delivered"
                );
            }
            Ok(Ok(_)) => {}
            Ok(Err(err)) => tracing::error!(%err, "trail delivery failed"),
            Err(err) => tracing::error!(%err, "trail delivery stopped"),
        }
    }
}

/// The trail `name` (a name or an ARN) names in the data directory; with a name,
/// `account` picks among trails of several accounts.
pub fn find_trail(
    engine: &Engine,
    name: &str,
    account: Option<&str>,
) -> anyhow::Result<Arc<TrailRecord>> {
    let state = engine.snapshot();
    let found: Vec<&Arc<TrailRecord>> = state
        .all_trails()
        .filter(|t| t.arn == name || t.name == name)
        .filter(|t| account.is_none_or(|a| t.account.as_str() == a))
        .collect();
    match found.as_slice() {
        [one] => Ok(Arc::clone(one)),
        [] => bail!("no trail `{name}` in this data directory"),
        _ => bail!("several trails are named `{name}`: give its ARN or --account"),
    }
}

/// `rampart audit verify`: prints validate-logs' lines and summary; fails when anything
/// is invalid.
pub fn verify_command(
    engine: &Engine,
    root: &Path,
    trail: &TrailRecord,
    public_key: Option<&Path>,
    range: VerifyRange,
) -> anyhow::Result<()> {
    let key = match public_key {
        Some(path) => read_public_key(path)?,
        None => DigestSigner::from_master(engine.master())?.public_key(),
    };
    let Some(progress) = engine.snapshot().trail_delivery(&trail.arn).cloned() else {
        bail!(
            "trail {} has never logged: there is nothing to verify",
            trail.arn
        );
    };
    if !trail.log_file_validation {
        eprintln!(
            "warning: log file validation is not enabled for {}",
            trail.arn
        );
    }
    let report = verify(
        trail,
        &progress,
        &DirBucket::new(root.to_path_buf()),
        &key,
        range,
    );
    println!("Validating log files for trail {}", trail.arn);
    println!();
    for line in &report.lines {
        println!("{line}");
    }
    println!();
    println!("{}", report.summary());
    if !report.ok() {
        bail!("log file validation failed");
    }
    Ok(())
}

/// `rampart audit public-key`: the digest key as hex, with its fingerprint.
pub fn public_key_command(engine: &Engine, out: Option<&Path>) -> anyhow::Result<()> {
    let signer = DigestSigner::from_master(engine.master())?;
    let hex = digest::hex(&signer.public_key());
    match out {
        Some(path) => {
            fs::write(path, format!("{hex}\n"))
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!(
                "Wrote the digest public key to {} (fingerprint {})",
                path.display(),
                signer.fingerprint()
            );
        }
        None => {
            println!("{hex}");
            eprintln!(
                "fingerprint {} ({})",
                signer.fingerprint(),
                digest::SIGNATURE_ALGORITHM
            );
        }
    }
    Ok(())
}

fn read_public_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let key = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .context("the public key file must hold the hex key `rampart audit public-key` prints")?;
    if key.len() != 32 {
        bail!(
            "an Ed25519 public key is 32 bytes; {} holds {}",
            path.display(),
            key.len()
        );
    }
    Ok(key)
}
