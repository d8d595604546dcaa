//! `rampart audit verify`, the `aws cloudtrail validate-logs` of Rampart: walks each
//! folder's digest chain back from the newest digest the server recorded, and checks
//! every digest's signature, that it is the one its successor names (signature and
//! SHA-256), and every log file it lists (present, same SHA-256). A digest or log file
//! that is missing is reported `not found`, one that changed `hash value doesn't match`
//! or `invalid signature`, as validate-logs reports them.

use super::Bucket;
use super::digest::{self, DigestDocument};
use crate::model::{TrailDeliveryRecord, TrailRecord};

/// What to check.
#[derive(Debug, Clone, Copy)]
pub struct VerifyRange {
    /// Only digests ending at or after this time.
    pub start: i64,
    /// Only digests starting at or before this time.
    pub end: i64,
}

/// The findings, one line per file (`Digest file\tKEY\tvalid` / `INVALID: …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// One line per file checked.
    pub lines: Vec<String>,
    /// Digests that checked out.
    pub digests_valid: usize,
    /// Digests that did not.
    pub digests_invalid: usize,
    /// Log files that checked out.
    pub logs_valid: usize,
    /// Log files that did not.
    pub logs_invalid: usize,
}

impl VerifyReport {
    /// Whether nothing was invalid.
    pub fn ok(&self) -> bool {
        self.digests_invalid == 0 && self.logs_invalid == 0
    }

    /// validate-logs' summary lines.
    pub fn summary(&self) -> String {
        let total_digests = self.digests_valid + self.digests_invalid;
        let total_logs = self.logs_valid + self.logs_invalid;
        let mut out = format!("{}/{total_digests} digest files valid", self.digests_valid);
        if self.digests_invalid > 0 {
            out.push_str(&format!(
                ", {}/{total_digests} digest files INVALID",
                self.digests_invalid
            ));
        }
        out.push_str(&format!(
            "\n{}/{total_logs} log files valid",
            self.logs_valid
        ));
        if self.logs_invalid > 0 {
            out.push_str(&format!(
                ", {}/{total_logs} log files INVALID",
                self.logs_invalid
            ));
        }
        out
    }

    fn digest(&mut self, bucket: &str, key: &str, problem: Option<&str>) {
        self.lines.push(line("Digest file", bucket, key, problem));
        match problem {
            None => self.digests_valid += 1,
            Some(_) => self.digests_invalid += 1,
        }
    }

    fn log(&mut self, bucket: &str, key: &str, problem: Option<&str>) {
        self.lines.push(line("Log file", bucket, key, problem));
        match problem {
            None => self.logs_valid += 1,
            Some(_) => self.logs_invalid += 1,
        }
    }
}

fn line(kind: &str, bucket: &str, key: &str, problem: Option<&str>) -> String {
    match problem {
        None => format!("{kind}\ts3://{bucket}/{key}\tvalid"),
        Some(problem) => format!("{kind}\ts3://{bucket}/{key}\tINVALID: {problem}"),
    }
}

/// Checks the files of `trail` in `bucket` against `public_key`, from the newest digest of
/// each folder that `progress` recorded back to the start of `range`.
pub fn verify(
    trail: &TrailRecord,
    progress: &TrailDeliveryRecord,
    bucket: &dyn Bucket,
    public_key: &[u8],
    range: VerifyRange,
) -> VerifyReport {
    let mut report = VerifyReport::default();
    let name = &trail.bucket;
    for chain in progress.chains.values() {
        let mut next = chain.last_object.clone().map(|object| {
            (
                object,
                chain.last_signature.clone(),
                chain.last_hash.clone(),
            )
        });
        while let Some((object, signature, hash)) = next.take() {
            let Some(document) = check_digest(
                bucket,
                name,
                &object,
                signature.as_deref(),
                hash.as_deref(),
                public_key,
                &mut report,
            ) else {
                break;
            };
            let ends = rampart_wire::Timestamp::parse_iso8601(&document.digest_end_time)
                .map_or(i64::MIN, |t| t.0);
            let starts = rampart_wire::Timestamp::parse_iso8601(&document.digest_start_time)
                .map_or(i64::MIN, |t| t.0);
            if starts <= range.end {
                for log in &document.log_files {
                    let problem = match bucket.get(name, &log.s3_object) {
                        Ok(Some(bytes)) => match digest::gunzip(&bytes) {
                            Some(content) if digest::sha256(&content) == log.hash_value => None,
                            _ => Some("hash value doesn't match"),
                        },
                        Ok(None) => Some("not found"),
                        Err(_) => Some("cannot be read"),
                    };
                    report.log(name, &log.s3_object, problem);
                }
            }
            if ends < range.start {
                break;
            }
            next = document.previous_digest_s3_object.clone().map(|object| {
                (
                    object,
                    document.previous_digest_signature.clone(),
                    document.previous_digest_hash_value.clone(),
                )
            });
        }
    }
    report
}

/// Checks one digest: present, signed by `public_key`, and the one its successor (or the
/// server's record) names. Returns its content when it can be followed further.
fn check_digest(
    bucket: &dyn Bucket,
    name: &str,
    object: &str,
    expected_signature: Option<&str>,
    expected_hash: Option<&str>,
    public_key: &[u8],
    report: &mut VerifyReport,
) -> Option<DigestDocument> {
    let content = match bucket.get(name, object) {
        Ok(Some(bytes)) => digest::gunzip(&bytes),
        Ok(None) => {
            report.digest(name, object, Some("not found"));
            return None;
        }
        Err(_) => None,
    };
    let Some(content) = content else {
        report.digest(name, object, Some("cannot be read"));
        return None;
    };
    let signature = bucket
        .get(name, &format!("{object}{}", digest::SIGNATURE_SUFFIX))
        .ok()
        .flatten()
        .and_then(|s| String::from_utf8(s).ok());
    let document: Option<DigestDocument> = serde_json::from_slice(&content).ok();
    let problem = match (&signature, &document) {
        (None, _) => Some("signature not found"),
        (_, None) => Some("not a digest file"),
        (Some(signature), Some(document)) => {
            let signed = digest::signing_string(
                &document.digest_end_time,
                name,
                object,
                &content,
                document.previous_digest_signature.as_deref(),
            );
            if expected_hash.is_some_and(|h| h != digest::sha256(&content)) {
                Some("hash value doesn't match")
            } else if !digest::verify(public_key, signed.as_bytes(), signature)
                || expected_signature.is_some_and(|s| s != signature.trim())
            {
                Some("invalid signature")
            } else {
                None
            }
        }
    };
    report.digest(name, object, problem);
    // A digest that does not verify cannot vouch for its predecessor or its log files.
    match problem {
        None => document,
        Some(_) => None,
    }
}
