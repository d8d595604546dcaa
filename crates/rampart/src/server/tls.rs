//! TLS for the listener: loading a certificate chain and private key (PEM) into a rustls
//! acceptor, and writing a self-signed certificate for local use into the data directory.
//!
//! rustls runs with the aws-lc-rs provider (the one the AWS SDKs of the test suite already
//! build), TLS 1.2 and 1.3, and offers only HTTP/1.1 by ALPN, which is all the listener
//! speaks. This module never decides what a secure connection means for a request: the
//! listener says whether a connection is TLS, the pipeline puts it in the request context.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// The self-signed certificate's file in the data directory.
const SELF_SIGNED_CERT: &str = "tls-cert.pem";
/// Its private key, owner-only.
const SELF_SIGNED_KEY: &str = "tls-key.pem";
/// How long a generated certificate is valid: 397 days, the most browsers accept.
const SELF_SIGNED_DAYS: i64 = 397;

/// A certificate chain and its private key, as PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, leaf first.
    pub cert: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

impl TlsFiles {
    /// The self-signed pair `rampart tls self-signed` writes into `data_dir`.
    pub fn self_signed_in(data_dir: &Path) -> TlsFiles {
        TlsFiles {
            cert: data_dir.join(SELF_SIGNED_CERT),
            key: data_dir.join(SELF_SIGNED_KEY),
        }
    }

    /// The generated pair in `data_dir`, when both files are there.
    pub fn found_in(data_dir: &Path) -> Option<TlsFiles> {
        let files = TlsFiles::self_signed_in(data_dir);
        (files.cert.is_file() && files.key.is_file()).then_some(files)
    }
}

/// A rustls acceptor for `files`. Fails with the file and the reason when either cannot
/// be read or they do not belong together.
pub fn acceptor(files: &TlsFiles) -> anyhow::Result<TlsAcceptor> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .with_context(|| format!("cannot read certificates from {}", files.cert.display()))?;
    if chain.is_empty() {
        bail!("no certificate in {}", files.cert.display());
    }
    warn_if_shared(&files.key);
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("cannot read a private key from {}", files.key.display()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .with_context(|| {
            format!(
                "the key {} does not fit the certificate {}",
                files.key.display(),
                files.cert.display()
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Warns (as ssh would refuse) when other users can read the private key.
fn warn_if_shared(key: &Path) {
    if let Ok(meta) = fs::metadata(key)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            key = %key.display(),
            mode = format!("{:o}", meta.permissions().mode() & 0o777),
            "the TLS private key is accessible by other users; restrict it with chmod 600"
        );
    }
}

/// Writes a self-signed certificate for `localhost`, `127.0.0.1`, `::1` and `hosts` (valid
/// from a day before `now` for [`SELF_SIGNED_DAYS`]) and its key (mode 0600) into
/// `data_dir`. Refuses to replace existing files unless `replace`.
pub fn write_self_signed(
    data_dir: &Path,
    hosts: &[String],
    now: i64,
    replace: bool,
) -> anyhow::Result<TlsFiles> {
    let files = TlsFiles::self_signed_in(data_dir);
    if !replace && (files.cert.exists() || files.key.exists()) {
        bail!(
            "{} already holds a certificate ({}); add --force to replace it",
            data_dir.display(),
            files.cert.display()
        );
    }
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    for host in hosts {
        if !names.contains(host) {
            names.push(host.clone());
        }
    }
    let mut params = rcgen::CertificateParams::new(names)
        .context("a host name is not valid in a certificate")?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Rampart self-signed (localhost)");
    // A leaf, not a CA: clients trust it directly as the bundle (rustls refuses a CA
    // certificate presented as a server's own).
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = timestamp(now.saturating_sub(86_400))?;
    params.not_after = timestamp(now.saturating_add(SELF_SIGNED_DAYS * 86_400))?;
    let key = rcgen::KeyPair::generate().context("cannot generate a key pair")?;
    let cert = params
        .self_signed(&key)
        .context("cannot sign the certificate")?;
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    write_file(&files.key, key.serialize_pem().as_bytes(), 0o600)?;
    write_file(&files.cert, cert.pem().as_bytes(), 0o644)?;
    Ok(files)
}

fn timestamp(unix: i64) -> anyhow::Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(unix).context("the clock is out of range")
}

/// Replaces `path` with `bytes`, created with `mode` (a key is never readable by others,
/// not even for a moment).
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let tmp = path.with_extension("pem.tmp");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::set_permissions(&tmp, fs::Permissions::from_mode(mode))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rampart-tls-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_generated_certificate_loads_and_its_key_is_owner_only() {
        let dir = temp_dir("gen");
        let files =
            write_self_signed(&dir, &["rampart.internal".into()], 1_800_000_000, false).unwrap();
        assert_eq!(TlsFiles::found_in(&dir), Some(files.clone()));
        let mode = fs::metadata(&files.key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        acceptor(&files).unwrap();
        let pem = fs::read_to_string(&files.cert).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        // Not replaced by accident.
        assert!(write_self_signed(&dir, &[], 1_800_000_000, false).is_err());
        write_self_signed(&dir, &[], 1_800_000_000, true).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_key_that_does_not_fit_the_certificate_is_refused() {
        let (a, b) = (temp_dir("a"), temp_dir("b"));
        let first = write_self_signed(&a, &[], 1_800_000_000, false).unwrap();
        let second = write_self_signed(&b, &[], 1_800_000_000, false).unwrap();
        let mixed = TlsFiles {
            cert: first.cert.clone(),
            key: second.key.clone(),
        };
        let err = acceptor(&mixed).err().unwrap();
        assert!(format!("{err:#}").contains("does not fit"), "{err:#}");
        let missing = TlsFiles {
            cert: a.join("nope.pem"),
            key: first.key,
        };
        assert!(acceptor(&missing).is_err());
        fs::remove_dir_all(&a).unwrap();
        fs::remove_dir_all(&b).unwrap();
    }
}
