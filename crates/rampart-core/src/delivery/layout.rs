//! Where CloudTrail puts its files in a bucket, and how it names them:
//!
//! ```text
//! [prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
//!     ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
//! [prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/
//!     ACCOUNT_CloudTrail-Digest_REGION_TRAILNAME_HOMEREGION_YYYYMMDDTHHmmssZ.json.gz
//! ```
//!
//! `UNIQUE` is 16 letters and digits; Rampart derives it from the batch, so a batch
//! written again after a crash gets the same names. Pure: names only, no I/O.

use sha2::{Digest, Sha256};

/// A folder of one account's files: `ACCOUNT`, or `o-ORG/ACCOUNT` for organization trails.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Folder {
    /// `ACCOUNT` or `o-ORG/ACCOUNT`.
    pub account_path: String,
    /// The account whose events the folder holds.
    pub account: String,
    /// The region of those events.
    pub region: String,
}

impl Folder {
    /// The key of the digest chain of this folder in the delivery record.
    pub fn chain_key(&self) -> String {
        format!("{}/{}", self.account_path, self.region)
    }
}

/// `time` (unix seconds) as `(YYYY, MM, DD, HH, mm, ss)` strings.
fn parts(time: i64) -> [String; 6] {
    let iso = rampart_wire::Timestamp(time).to_iso8601();
    let at = |from: usize, to: usize| iso.get(from..to).unwrap_or("00").to_owned();
    [
        at(0, 4),
        at(5, 7),
        at(8, 10),
        at(11, 13),
        at(14, 16),
        at(17, 19),
    ]
}

fn with_prefix(prefix: Option<&str>, rest: String) -> String {
    match prefix.map(|p| p.trim_end_matches('/')) {
        Some(p) if !p.is_empty() => format!("{p}/{rest}"),
        _ => rest,
    }
}

/// The key of a log file of `folder` delivered at `at`, named by `unique`.
pub fn log_key(prefix: Option<&str>, folder: &Folder, at: i64, unique: &str) -> String {
    let [y, mo, d, h, mi, _] = parts(at);
    let Folder {
        account_path,
        account,
        region,
    } = folder;
    with_prefix(
        prefix,
        format!(
            "AWSLogs/{account_path}/CloudTrail/{region}/{y}/{mo}/{d}/{account}_CloudTrail_{region}_{y}{mo}{d}T{h}{mi}Z_{unique}.json.gz"
        ),
    )
}

/// The key of the digest file of `folder` for trail `trail` (home region `home`) ending
/// at `end`.
pub fn digest_key(
    prefix: Option<&str>,
    folder: &Folder,
    trail: &str,
    home: &str,
    end: i64,
) -> String {
    let [y, mo, d, h, mi, s] = parts(end);
    let Folder {
        account_path,
        account,
        region,
    } = folder;
    with_prefix(
        prefix,
        format!(
            "AWSLogs/{account_path}/CloudTrail-Digest/{region}/{y}/{mo}/{d}/{account}_CloudTrail-Digest_{region}_{trail}_{home}_{y}{mo}{d}T{h}{mi}{s}Z.json.gz"
        ),
    )
}

/// The 16-character unique part of a log file name, derived from what identifies the
/// batch (trail, audit ids, folder).
pub fn unique(trail_arn: &str, from: i64, to: i64, folder: &Folder) -> String {
    let digest = Sha256::digest(
        format!(
            "{trail_arn}|{from}|{to}|{}|{}",
            folder.account_path, folder.region
        )
        .as_bytes(),
    );
    let encoded = data_encoding::BASE32_NOPAD.encode(&digest);
    encoded.chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &str) -> Folder {
        Folder {
            account_path: path.into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn log_files_follow_cloudtrails_layout() {
        // 2024-05-01T12:34:56Z
        let key = log_key(
            None,
            &folder("111122223333"),
            1_714_566_896,
            "ABCDEFGH23456789",
        );
        assert_eq!(
            key,
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail_us-east-1_20240501T1234Z_ABCDEFGH23456789.json.gz"
        );
        let org = log_key(
            Some("audit/"),
            &folder("o-abc123/111122223333"),
            1_714_566_896,
            "U",
        );
        assert!(
            org.starts_with("audit/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2024/05/01/")
        );
    }

    #[test]
    fn digest_files_name_the_trail_and_home_region() {
        let key = digest_key(
            Some("p"),
            &folder("111122223333"),
            "main",
            "eu-west-1",
            1_714_566_896,
        );
        assert_eq!(
            key,
            "p/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/111122223333_CloudTrail-Digest_us-east-1_main_eu-west-1_20240501T123456Z.json.gz"
        );
    }

    #[test]
    fn unique_names_are_stable_per_batch_and_differ_between_batches() {
        let f = folder("111122223333");
        let a = unique("arn:t", 1, 9, &f);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(a, unique("arn:t", 1, 9, &f));
        assert_ne!(a, unique("arn:t", 9, 12, &f));
    }
}
