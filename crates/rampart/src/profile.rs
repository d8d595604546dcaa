//! Writing a named profile into the user's AWS config and credentials files.
//!
//! Honors `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` like every AWS client does,
//! replaces a section of the same name and keeps everything else byte for byte.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The files a profile is written to.
#[derive(Debug, Clone)]
pub struct AwsFiles {
    /// `~/.aws/config` or `$AWS_CONFIG_FILE`.
    pub config: PathBuf,
    /// `~/.aws/credentials` or `$AWS_SHARED_CREDENTIALS_FILE`.
    pub credentials: PathBuf,
}

impl AwsFiles {
    /// The files AWS clients read, from the environment or the home directory.
    pub fn from_env() -> anyhow::Result<AwsFiles> {
        let home = || -> anyhow::Result<PathBuf> {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .context("HOME is not set; set AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE")
        };
        let config = match std::env::var_os("AWS_CONFIG_FILE") {
            Some(path) => PathBuf::from(path),
            None => home()?.join(".aws").join("config"),
        };
        let credentials = match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
            Some(path) => PathBuf::from(path),
            None => home()?.join(".aws").join("credentials"),
        };
        Ok(AwsFiles {
            config,
            credentials,
        })
    }
}

/// A profile to write.
#[derive(Debug)]
pub struct Profile<'a> {
    /// Profile name.
    pub name: &'a str,
    /// Rampart's URL.
    pub endpoint_url: &'a str,
    /// Region clients sign for.
    pub region: &'a str,
    /// Access key id.
    pub access_key_id: &'a str,
    /// Secret access key.
    pub secret_access_key: &'a str,
    /// The certificate clients trust for Rampart's HTTPS (a self-signed one), if any.
    pub ca_bundle: Option<&'a Path>,
}

/// Checks that both files can be written (their folders exist or can be made, and a file
/// can be created beside them) before anything that must not be lost is created.
pub fn check_writable(files: &AwsFiles) -> anyhow::Result<()> {
    for path in [&files.config, &files.credentials] {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let probe = path.with_extension("rampart-tmp");
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&probe)
            .and_then(|_| fs::remove_file(&probe))
            .with_context(|| format!("cannot write beside {}", path.display()))?;
    }
    Ok(())
}

/// Writes `profile` into both files.
pub fn write(files: &AwsFiles, profile: &Profile<'_>) -> anyhow::Result<()> {
    let config_header = if profile.name == "default" {
        "[default]".to_owned()
    } else {
        format!("[profile {}]", profile.name)
    };
    let mut config_body = format!(
        "region = {}\nendpoint_url = {}\noutput = json\n",
        profile.region, profile.endpoint_url
    );
    if let Some(bundle) = profile.ca_bundle {
        config_body.push_str(&format!("ca_bundle = {}\n", bundle.display()));
    }
    upsert_section(&files.config, &config_header, &config_body, 0o644)?;
    let credentials_body = format!(
        "aws_access_key_id = {}\naws_secret_access_key = {}\n",
        profile.access_key_id, profile.secret_access_key
    );
    upsert_section(
        &files.credentials,
        &format!("[{}]", profile.name),
        &credentials_body,
        0o600,
    )
}

fn upsert_section(path: &PathBuf, header: &str, body: &str, mode: u32) -> anyhow::Result<()> {
    let existing = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let updated = replace_section(&existing, header, body);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let tmp = path.with_extension("rampart-tmp");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(updated.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// `text` with the section `header` replaced by (or appended as) `header` + `body`.
fn replace_section(text: &str, header: &str, body: &str) -> String {
    let mut out = String::with_capacity(text.len() + body.len() + header.len() + 2);
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            skipping = trimmed == header;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(header);
    out.push('\n');
    out.push_str(body);
    out
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn replaces_only_the_named_section() {
        let text = "[default]\nregion = eu-west-1\n\n[profile rampart]\nregion = old\n\n[profile other]\nregion = x\n";
        let out = replace_section(text, "[profile rampart]", "region = us-east-1\n");
        assert_eq!(
            out,
            "[default]\nregion = eu-west-1\n\n[profile other]\nregion = x\n\n[profile rampart]\nregion = us-east-1\n"
        );
    }

    #[test]
    fn appends_to_an_empty_file() {
        assert_eq!(
            replace_section("", "[rampart]", "a = b\n"),
            "[rampart]\na = b\n"
        );
    }
}
