//! Whom the HTTP client trusts over https://, and a refused certificate put
//! into words a person can act on.
//!
//! Trust is the system's store (or `SSL_CERT_FILE`/`SSL_CERT_DIR`, which
//! replace it, as they do for OpenSSL), plus the PEM files given with
//! `--cacert` (`--forward-cacert` for listen). `-k/--insecure` checks
//! nothing. rustls refuses a certificate with an error such as
//! `UnknownIssuer`; the verifier here wraps the platform's and, when it
//! refuses, reads the certificate to say who issued it, which names it is
//! for, or when it expired, and which flag adds trust.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, OtherError, SignatureScheme};
use x509_cert::der::Decode as _;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

use crate::messages::warning;

/// What a client trusts.
#[derive(Debug, Clone)]
pub struct Trust {
    /// PEM files of certificate authorities trusted on top of the system's.
    pub cacerts: Vec<PathBuf>,
    /// Whether certificates are not checked at all.
    pub insecure: bool,
    /// The flag that adds a CA, named in the advice when a certificate is
    /// not trusted: `--cacert` or `--forward-cacert`.
    pub flag: &'static str,
}

impl Trust {
    /// The system's store and nothing more.
    pub fn system(flag: &'static str) -> Trust {
        Trust {
            cacerts: Vec::new(),
            insecure: false,
            flag,
        }
    }

    /// Says once, on stderr, that certificates are not checked.
    pub fn announce(&self) {
        if self.insecure {
            warning!(
                "--insecure: the server's certificate is not checked; \
                 anyone on the way can read and change what is sent"
            );
        }
    }

    /// The TLS settings of a client with this trust: HTTP/1.1 only, ring's
    /// algorithms, the verifier that explains itself.
    ///
    /// # Errors
    /// When a `--cacert` file cannot be read or holds no certificate.
    pub fn config(&self) -> anyhow::Result<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let check = if self.insecure {
            Check::Nothing
        } else {
            let mut roots = Vec::new();
            for path in &self.cacerts {
                roots.extend(read_pem(path, self.flag)?);
            }
            let pinned = roots.clone();
            // The platform verifier refuses to exist when the system has no
            // CA at all and none was given; http:// URLs still work then,
            // and an https:// one is refused with advice.
            let platform = rustls_platform_verifier::Verifier::new_with_extra_roots(
                roots,
                Arc::clone(&provider),
            )
            .ok()
            .map(|verifier| Arc::new(verifier) as Arc<dyn ServerCertVerifier>);
            Check::Platform {
                platform,
                pinned,
                flag: self.flag,
            }
        };
        let verifier = Arc::new(Verifier {
            check,
            provider: Arc::clone(&provider),
        });
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| anyhow::anyhow!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// The certificates of a PEM file.
fn read_pem(path: &Path, flag: &str) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {flag} {shown}: {e}"))?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{flag} {shown} is not a PEM file: {e}"))?;
    if certs.is_empty() {
        anyhow::bail!(
            "{flag} {shown} holds no certificate: give a PEM file with \
             '-----BEGIN CERTIFICATE-----' blocks (convert DER with `openssl x509 -inform der -in FILE -out FILE.pem`)"
        );
    }
    Ok(certs)
}

/// A certificate refused, in words: what the client error chain carries
/// instead of rustls's own terse kind.
#[derive(Debug)]
pub struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// The client's certificate verifier: the platform's, with its refusals
/// explained, or none at all with `-k`. Either way the handshake's
/// signatures are checked, so the peer holds the key of the certificate it
/// sent.
#[derive(Debug)]
struct Verifier {
    check: Check,
    provider: Arc<CryptoProvider>,
}

/// How a server's certificate is checked.
#[derive(Debug)]
enum Check {
    /// `-k`: not at all.
    Nothing,
    /// By the platform's verifier.
    Platform {
        /// None when the system has no CA and none was given.
        platform: Option<Arc<dyn ServerCertVerifier>>,
        /// The certificates given with `--cacert`. A server that presents
        /// one of them as its own certificate (a self-signed one, as
        /// `openssl req -x509` makes) is trusted as that certificate, as
        /// curl does: the platform's verifier would refuse it as a CA used
        /// for a server.
        pinned: Vec<CertificateDer<'static>>,
        /// The flag that adds trust, for the advice.
        flag: &'static str,
    },
}

impl Verifier {
    /// A certificate given with `--cacert` and presented by the server
    /// itself: valid if it names the host and is within its dates. The
    /// handshake still proves that the server holds its key.
    fn verify_pinned(
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        let cert = x509_cert::Certificate::from_der(end_entity)
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        let validity = cert.tbs_certificate().validity();
        let now = now.as_secs();
        if now < validity.not_before.to_unix_duration().as_secs() {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet,
            ));
        }
        if now > validity.not_after.to_unix_duration().as_secs() {
            return Err(rustls::Error::InvalidCertificate(CertificateError::Expired));
        }
        Ok(ServerCertVerified::assertion())
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Check::Platform {
            platform,
            pinned,
            flag,
        } = &self.check
        else {
            return Ok(ServerCertVerified::assertion());
        };
        let verified = if pinned.iter().any(|p| p.as_ref() == end_entity.as_ref()) {
            Verifier::verify_pinned(end_entity, server_name, now)
        } else if let Some(platform) = platform {
            platform.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        } else {
            return Err(refused(format!(
                "certificate not checked: there are no trusted CAs, the system has none: \
                 install the ca-certificates package, set SSL_CERT_FILE, or give the CA with {flag} FILE"
            )));
        };
        verified.map_err(|error| match &error {
            rustls::Error::InvalidCertificate(kind) => {
                match explain(kind, end_entity, intermediates, server_name, flag) {
                    Some(words) => refused(words),
                    None => error,
                }
            }
            _ => error,
        })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn refused(words: String) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(Refused(
        words,
    )))))
}

/// Why the certificate was refused, read from the certificate itself; None
/// for a kind with nothing to add to rustls's words.
fn explain(
    kind: &CertificateError,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    server_name: &ServerName<'_>,
    flag: &str,
) -> Option<String> {
    let leaf = x509_cert::Certificate::from_der(end_entity).ok()?;
    let tbs = leaf.tbs_certificate();
    let self_signed = intermediates.is_empty() && tbs.issuer() == tbs.subject();
    Some(match kind {
        CertificateError::UnknownIssuer | CertificateError::Other(_) if self_signed => format!(
            "certificate not trusted: it is self-signed by {}: give that certificate itself with \
             {flag} FILE (PEM)",
            distinguished(tbs.subject())
        ),
        CertificateError::UnknownIssuer => {
            // The CA that is missing is the issuer of the last certificate
            // the server sent.
            let top = match intermediates.last() {
                Some(der) => x509_cert::Certificate::from_der(der).ok()?,
                None => leaf.clone(),
            };
            format!(
                "certificate not trusted: issued by {}, which is not a trusted CA: give that \
                 CA's certificate with {flag} FILE (PEM), or add it to the system's store",
                distinguished(top.tbs_certificate().issuer())
            )
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let names = names(&leaf);
            let host = host(server_name);
            if names.is_empty() {
                format!("certificate names no host, so it is not valid for {host}")
            } else {
                format!(
                    "certificate is for {}, not {host}: use a URL with one of those names",
                    names.join(", ")
                )
            }
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
            "certificate expired at {}: the server must renew it",
            when(tbs.validity().not_after.to_unix_duration())
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!(
            "certificate is not valid until {}: check the clock of this machine and the server's",
            when(tbs.validity().not_before.to_unix_duration())
        ),
        _ => return None,
    })
}

/// A name as OpenSSL prints it, in the certificate's order:
/// `C=US, O=Example, CN=Example CA`.
fn distinguished(name: &x509_cert::name::Name) -> String {
    crate::inert::inert(
        &name
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The host names and addresses a certificate is for.
fn names(cert: &x509_cert::Certificate) -> Vec<String> {
    let Ok(Some((_, SubjectAltName(names)))) = cert.tbs_certificate().get_extension() else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|name| match name {
            // Any IA5 text: the server chose it, and it goes to a terminal.
            GeneralName::DnsName(dns) => Some(crate::inert::inert(dns.as_ref())),
            GeneralName::IpAddress(ip) => match ip.as_bytes().len() {
                4 => <[u8; 4]>::try_from(ip.as_bytes())
                    .ok()
                    .map(|octets| std::net::Ipv4Addr::from(octets).to_string()),
                16 => <[u8; 16]>::try_from(ip.as_bytes())
                    .ok()
                    .map(|octets| std::net::Ipv6Addr::from(octets).to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The host a URL named, as `example.com` or `127.0.0.1`.
fn host(server_name: &ServerName<'_>) -> String {
    match server_name {
        ServerName::DnsName(dns) => dns.as_ref().to_owned(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "this host".to_owned(),
    }
}

/// A certificate time as `2025-01-01T00:00:00Z`.
fn when(since_epoch: std::time::Duration) -> String {
    i64::try_from(since_epoch.as_secs())
        .ok()
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .map_or_else(|| "a time out of range".to_owned(), |t| t.to_string())
}
