//! Trail delivery: the committed audit events each logging trail selects, written as
//! CloudTrail log files (`{"Records":[…]}`, gzip) in CloudTrail's layout, and, for trails
//! with log file validation, signed digest files chaining them (`digest`). The server
//! runs [`deliver`] on a timer; `verify` checks what was written (`rampart audit verify`).
//!
//! Exactly which events: those of the trail's account (every member account's for an
//! organization trail), recorded since logging started, in the trail's home region or any
//! region for a multi-region trail, global service events (IAM, STS, Organizations,
//! sign-in, Account, recorded in us-east-1) only when the trail includes them, and chosen
//! by its event selectors.
//!
//! Progress is a [`TrailDeliveryRecord`] per trail, written through the engine: a cursor
//! over the store's audit ids, the batch in flight (planned and committed before its files
//! are written, so after a crash the same batch is written again under the same names:
//! at-least-once, never lost), and each folder's digest chain. Events are taken only once
//! they are [`DeliverySettings::settle`] seconds old, so a write's event has its final form
//! and commits that drew lower ids have landed. No I/O here: files go through [`Bucket`].

pub mod digest;
pub mod layout;
pub mod verify;

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::error::CoreError;
use crate::model::{DeliveredLog, DigestChain, PendingBatch, TrailDeliveryRecord, TrailRecord};
use crate::ops::cloudtrail::selectors;
use crate::state::State;
use crate::store::StoredAudit;
use digest::{DigestDocument, DigestSigner, LogFileEntry};
use layout::Folder;

/// The most events one batch of one trail takes.
const BATCH_LIMIT: usize = 5_000;
/// The services whose events are global (recorded in us-east-1).
const GLOBAL_SOURCES: [&str; 5] = [
    "iam.amazonaws.com",
    "sts.amazonaws.com",
    "signin.amazonaws.com",
    "organizations.amazonaws.com",
    "account.amazonaws.com",
];
/// The region global service events are recorded in.
const GLOBAL_REGION: &str = "us-east-1";

/// Where files go: a bucket is a folder of objects. The server maps a bucket name to a
/// directory; tests keep objects in memory.
pub trait Bucket {
    /// Writes (or replaces) the object `key` of `bucket`.
    fn put(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<(), String>;
    /// Reads the object `key` of `bucket`; `None` when there is none.
    fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, String>;
}

/// How delivery paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliverySettings {
    /// Seconds between digests of one folder (AWS: one hour).
    pub digest_interval: i64,
    /// Seconds an event must be old before it is delivered.
    pub settle: i64,
}

/// What one round of delivery wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Log files written.
    pub log_files: usize,
    /// Digest files written.
    pub digests: usize,
}

/// One log file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// The folder it belongs to.
    pub folder: Folder,
    /// Its object key.
    pub key: String,
    /// `{"Records":[…]}`, uncompressed.
    pub content: Vec<u8>,
    /// Its oldest event time.
    pub oldest: i64,
    /// Its newest event time.
    pub newest: i64,
}

/// One round: every trail with delivery progress gets its next batch of events and its
/// due digests. A trail whose files cannot be written keeps its batch for the next round
/// and reports the failure in `GetTrailStatus`.
pub fn deliver(
    engine: &Engine,
    signer: &DigestSigner,
    bucket: &dyn Bucket,
    settings: DeliverySettings,
    now: i64,
) -> Result<Delivered, CoreError> {
    let mut total = Delivered::default();
    let state = engine.snapshot();
    for trail in state.all_trails() {
        let Some(progress) = state.trail_delivery(&trail.arn) else {
            continue;
        };
        let mut round = Round {
            engine,
            bucket,
            trail,
            stored: TrailDeliveryRecord::clone(progress),
            progress: TrailDeliveryRecord::clone(progress),
            now,
        };
        match round.run(signer, settings) {
            Ok(done) => {
                total.log_files += done.log_files;
                total.digests += done.digests;
            }
            Err(err) => {
                tracing::warn!(trail = %trail.arn, %err, "trail delivery failed");
                round.progress.latest_error = Some(err.to_string());
                round.progress.latest_attempt = Some(now);
                let _ = round.commit();
            }
        }
    }
    Ok(total)
}

/// One trail's round.
struct Round<'a> {
    engine: &'a Engine,
    bucket: &'a dyn Bucket,
    trail: &'a TrailRecord,
    /// The progress as stored when this round last read or wrote it.
    stored: TrailDeliveryRecord,
    /// The progress as this round has it.
    progress: TrailDeliveryRecord,
    now: i64,
}

impl Round<'_> {
    fn run(
        &mut self,
        signer: &DigestSigner,
        settings: DeliverySettings,
    ) -> Result<Delivered, CoreError> {
        let mut done = Delivered::default();
        if let Some(batch) = self.next_batch(settings)? {
            done.log_files = self.deliver_batch(batch)?;
        }
        if self.trail.logging && self.trail.log_file_validation {
            done.digests = self.write_digests(signer, settings)?;
        }
        Ok(done)
    }

    /// The batch in flight, or the next one (events old enough, after the cursor).
    fn next_batch(
        &mut self,
        settings: DeliverySettings,
    ) -> Result<Option<PendingBatch>, CoreError> {
        if let Some(pending) = self.progress.pending {
            return Ok(Some(pending));
        }
        // An emptied store starts its ids again.
        if self.engine.audit_high_water()? < self.progress.cursor {
            self.progress.cursor = 0;
        }
        let events = self.engine.audit_after(self.progress.cursor, BATCH_LIMIT)?;
        let ripe = self.now.saturating_sub(settings.settle);
        let last = events.iter().take_while(|e| e.record.time <= ripe).last();
        Ok(last.map(|last| PendingBatch {
            from: self.progress.cursor,
            to: last.id,
            at: self.now,
        }))
    }

    /// Writes the batch's files: the batch is committed as pending first (unless it
    /// already was), then the files, then the cursor moves past it.
    fn deliver_batch(&mut self, batch: PendingBatch) -> Result<usize, CoreError> {
        let events: Vec<StoredAudit> = self
            .engine
            .audit_after(batch.from, BATCH_LIMIT)?
            .into_iter()
            .filter(|e| e.id <= batch.to)
            .collect();
        let files = plan(&self.engine.snapshot(), self.trail, &events, batch)?;
        if !files.is_empty() && self.progress.pending.is_none() {
            self.progress.pending = Some(batch);
            if !self.commit()? {
                return Ok(0);
            }
        }
        for file in &files {
            let gz = digest::gzip(&file.content)?;
            self.bucket
                .put(&self.trail.bucket, &file.key, &gz)
                .map_err(|err| CoreError::Internal(format!("cannot write {}: {err}", file.key)))?;
        }
        // Into the digest chains only once every file of the batch is written: a batch
        // written again after a failure is listed once.
        for file in &files {
            let chain = self.chain(&file.folder);
            chain.log_files.push(DeliveredLog {
                object: file.key.clone(),
                hash: digest::sha256(&file.content),
                oldest: file.oldest,
                newest: file.newest,
            });
        }
        self.progress.cursor = batch.to;
        self.progress.pending = None;
        self.progress.latest_attempt = Some(self.now);
        self.progress.latest_error = None;
        if !files.is_empty() {
            self.progress.latest_delivery = Some(batch.at);
        }
        self.commit()?;
        Ok(files.len())
    }

    /// The digest chain of `folder`, started if new.
    fn chain(&mut self, folder: &Folder) -> &mut DigestChain {
        let started = self.trail.start_logging.unwrap_or(self.now);
        self.progress
            .chains
            .entry(folder.chain_key())
            .or_insert_with(|| DigestChain {
                account_path: folder.account_path.clone(),
                account: folder.account.clone(),
                region: folder.region.clone(),
                started,
                ..DigestChain::default()
            })
    }

    /// Writes a digest for every folder whose last one is `digest_interval` old (the
    /// trail's own home folder always has a chain).
    fn write_digests(
        &mut self,
        signer: &DigestSigner,
        settings: DeliverySettings,
    ) -> Result<usize, CoreError> {
        let home = Folder {
            account_path: account_path(self.trail, self.trail.account.as_str()),
            account: self.trail.account.as_str().to_owned(),
            region: self.trail.home_region.clone(),
        };
        self.chain(&home);
        let due: Vec<String> = self
            .progress
            .chains
            .iter()
            .filter(|(_, c)| {
                self.now.saturating_sub(c.last_end.unwrap_or(c.started)) >= settings.digest_interval
            })
            .map(|(key, _)| key.clone())
            .collect();
        let mut written = 0;
        for key in due {
            let Some(chain) = self.progress.chains.get(&key).cloned() else {
                continue;
            };
            let next = self.write_digest(signer, &chain)?;
            self.progress.chains.insert(key, next);
            self.progress.latest_digest = Some(self.now);
            if !self.commit()? {
                break;
            }
            written += 1;
        }
        Ok(written)
    }

    /// Writes the digest ending now for `chain`; returns the chain after it.
    fn write_digest(
        &self,
        signer: &DigestSigner,
        chain: &DigestChain,
    ) -> Result<DigestChain, CoreError> {
        let iso = |t: i64| rampart_wire::Timestamp(t).to_iso8601();
        let folder = Folder {
            account_path: chain.account_path.clone(),
            account: chain.account.clone(),
            region: chain.region.clone(),
        };
        let object = layout::digest_key(
            self.trail.prefix.as_deref(),
            &folder,
            &self.trail.name,
            &self.trail.home_region,
            self.now,
        );
        let bucket = &self.trail.bucket;
        let end = iso(self.now);
        let document = DigestDocument {
            aws_account_id: chain.account.clone(),
            digest_start_time: iso(chain.last_end.unwrap_or(chain.started)),
            digest_end_time: end.clone(),
            digest_s3_bucket: bucket.clone(),
            digest_s3_object: object.clone(),
            digest_public_key_fingerprint: signer.fingerprint(),
            digest_signature_algorithm: digest::SIGNATURE_ALGORITHM.to_owned(),
            newest_event_time: chain.log_files.iter().map(|l| l.newest).max().map(iso),
            oldest_event_time: chain.log_files.iter().map(|l| l.oldest).min().map(iso),
            previous_digest_s3_bucket: chain.last_object.as_ref().map(|_| bucket.clone()),
            previous_digest_s3_object: chain.last_object.clone(),
            previous_digest_hash_value: chain.last_hash.clone(),
            previous_digest_hash_algorithm: chain.last_hash.as_ref().map(|_| "SHA-256".to_owned()),
            previous_digest_signature: chain.last_signature.clone(),
            log_files: chain
                .log_files
                .iter()
                .map(|l| LogFileEntry {
                    s3_bucket: bucket.clone(),
                    s3_object: l.object.clone(),
                    hash_value: l.hash.clone(),
                    hash_algorithm: "SHA-256".to_owned(),
                    newest_event_time: iso(l.newest),
                    oldest_event_time: iso(l.oldest),
                })
                .collect(),
        };
        let content = serde_json::to_vec(&document)
            .map_err(|err| CoreError::Internal(format!("digest does not encode: {err}")))?;
        let signed = digest::signing_string(
            &end,
            bucket,
            &object,
            &content,
            chain.last_signature.as_deref(),
        );
        let signature = signer.sign(signed.as_bytes());
        let write = |key: &str, bytes: &[u8]| {
            self.bucket
                .put(bucket, key, bytes)
                .map_err(|err| CoreError::Internal(format!("cannot write {key}: {err}")))
        };
        write(&object, &digest::gzip(&content)?)?;
        write(
            &format!("{object}{}", digest::SIGNATURE_SUFFIX),
            signature.as_bytes(),
        )?;
        Ok(DigestChain {
            last_end: Some(self.now),
            last_object: Some(object),
            last_signature: Some(signature),
            last_hash: Some(digest::sha256(&content)),
            log_files: Vec::new(),
            ..chain.clone()
        })
    }

    /// Stores the progress if no one else (another node) moved it meanwhile; `false` when
    /// someone did (this round then stops) or the trail was deleted.
    fn commit(&mut self) -> Result<bool, CoreError> {
        let arn = &self.trail.arn;
        let (stored, progress) = (&self.stored, &self.progress);
        let written = self.engine.write(|txn| {
            let current = txn.state().trail_delivery(arn);
            if txn.state().trail(arn).is_none() || current.map(|c| &**c) != Some(stored) {
                return Ok(false);
            }
            txn.put_under(arn, progress)?;
            Ok(true)
        })?;
        if written {
            self.stored = self.progress.clone();
        }
        Ok(written)
    }
}

/// `ACCOUNT`, or `o-ORG/ACCOUNT` for an organization trail.
fn account_path(trail: &TrailRecord, account: &str) -> String {
    match (&trail.org_id, trail.organization) {
        (Some(org), true) => format!("{org}/{account}"),
        _ => account.to_owned(),
    }
}

/// The log files `trail` gets from `events` (one per folder), named for `batch`.
pub fn plan(
    state: &State,
    trail: &TrailRecord,
    events: &[StoredAudit],
    batch: PendingBatch,
) -> Result<Vec<LogFile>, CoreError> {
    let Some(started) = trail.start_logging.filter(|_| trail.logging) else {
        return Ok(Vec::new());
    };
    let mut folders: BTreeMap<Folder, (Vec<&str>, i64, i64)> = BTreeMap::new();
    for event in events {
        let record = &event.record;
        if record.time < started || !covers_account(state, trail, &record.account) {
            continue;
        }
        let Ok(body) = serde_json::from_str::<serde_json::Value>(&record.body) else {
            continue;
        };
        let text = |key: &str| {
            body.get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
        };
        let region = text("awsRegion");
        if !covers_region(trail, region, text("eventSource"))
            || !selectors::selects(trail.selectors.as_ref(), &body)
        {
            continue;
        }
        let folder = Folder {
            account_path: account_path(trail, &record.account),
            account: record.account.clone(),
            region: region.to_owned(),
        };
        let entry = folders
            .entry(folder)
            .or_insert((Vec::new(), i64::MAX, i64::MIN));
        entry.0.push(&record.body);
        entry.1 = entry.1.min(record.time);
        entry.2 = entry.2.max(record.time);
    }
    Ok(folders
        .into_iter()
        .map(|(folder, (bodies, oldest, newest))| {
            let unique = layout::unique(&trail.arn, batch.from, batch.to, &folder);
            let key = layout::log_key(trail.prefix.as_deref(), &folder, batch.at, &unique);
            let content = format!("{{\"Records\":[{}]}}", bodies.join(",")).into_bytes();
            LogFile {
                folder,
                key,
                content,
                oldest,
                newest,
            }
        })
        .collect())
}

/// Whether events of `account` go to `trail`: its own, and its organization's members'
/// for an organization trail.
fn covers_account(state: &State, trail: &TrailRecord, account: &str) -> bool {
    if trail.account.as_str() == account {
        return true;
    }
    trail.organization
        && crate::model::AccountId::parse(account)
            .and_then(|id| state.org_of(&id).map(|(org, _)| org.id.clone()))
            .is_some_and(|org| trail.org_id.as_deref() == Some(org.as_str()))
}

/// Whether an event recorded in `region` by `source` goes to `trail`: global service
/// events when the trail includes them, others from its home region (any region for a
/// multi-region trail).
pub fn covers_region(trail: &TrailRecord, region: &str, source: &str) -> bool {
    if region == GLOBAL_REGION && GLOBAL_SOURCES.contains(&source) {
        return trail.include_global;
    }
    trail.multi_region || region == trail.home_region
}

#[cfg(test)]
mod tests;
