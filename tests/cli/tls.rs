//! HTTPS for the tests: a certificate authority made at test time (rcgen),
//! the certificates it issues (trusted, for the wrong host, expired), and a
//! TLS server on 127.0.0.1 that relays to a plain-HTTP handler or answers
//! and hangs up without TLS close_notify. Every server stops when dropped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::oneshot;

/// The common name of the test CA, as errors must name it.
pub const CA_NAME: &str = "gpwh test CA";

/// A certificate authority that exists only for one test, its certificate
/// written as PEM into a temporary directory.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    dir: tempfile::TempDir,
    pem: PathBuf,
}

/// A server certificate and its key.
pub struct Issued {
    chain: Vec<CertificateDer<'static>>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name = DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, CA_NAME);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "gpwh tests");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("ca.pem");
        std::fs::write(&pem, cert.pem()).unwrap();
        TestCa {
            issuer: Issuer::new(params, key),
            dir,
            pem,
        }
    }

    /// The CA's certificate, as a PEM file for --cacert.
    pub fn pem(&self) -> &Path {
        &self.pem
    }

    /// A directory that lives as long as the CA.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A certificate for `names` (host names or IP addresses), valid now.
    pub fn issue(&self, names: &[&str]) -> Issued {
        self.issue_with(names, |_| {})
    }

    /// A certificate for `names` that expired at the start of 2021.
    pub fn issue_expired(&self, names: &[&str]) -> Issued {
        self.issue_with(names, |params| {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        })
    }

    fn issue_with(&self, names: &[&str], adjust: impl FnOnce(&mut CertificateParams)) -> Issued {
        let mut params = server_params(names, "gpwh test server");
        adjust(&mut params);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Issued {
            chain: vec![cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        }
    }
}

/// A self-signed server certificate for `names`, marked as a CA as
/// `openssl req -x509` marks it, and its PEM file in `dir`.
pub fn self_signed(names: &[&str], dir: &Path) -> (Issued, PathBuf) {
    let mut params = server_params(names, "self-signed test server");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let pem = dir.join("self-signed.pem");
    std::fs::write(&pem, cert.pem()).unwrap();
    let issued = Issued {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
    };
    (issued, pem)
}

/// A server certificate's parameters: for `names`, with `common_name`
/// alone as its subject.
fn server_params(names: &[&str], common_name: &str) -> CertificateParams {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params
}

/// What the TLS server does with a connection once the handshake is done.
#[derive(Clone, Copy)]
pub enum Behind {
    /// Relays the bytes both ways to a plain-HTTP server at this address:
    /// TLS in front of a handler, as a load balancer puts it.
    Relay(SocketAddr),
    /// Reads one request, writes this answer, and closes the TCP
    /// connection without TLS close_notify, as some servers do.
    HangUp(&'static str),
}

/// A TLS server on 127.0.0.1, on a port the system picked.
pub struct TlsServer {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TlsServer {
    pub fn start(issued: &Issued, behind: Behind) -> TlsServer {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            issued.chain.clone(),
            PrivateKeyDer::Pkcs8(issued.key.clone_key()),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let serve = async {
                    while let Ok((tcp, _)) = listener.accept().await {
                        let acceptor = acceptor.clone();
                        tokio::spawn(async move {
                            // A client that refuses the certificate ends
                            // the handshake: nothing to do then.
                            let Ok(tls) = acceptor.accept(tcp).await else {
                                return;
                            };
                            serve(tls, behind).await;
                        });
                    }
                };
                tokio::select! {
                    () = serve => {}
                    _ = stopped => {}
                }
            });
        });
        TlsServer {
            address,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.address)
    }
}

async fn serve(mut tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>, behind: Behind) {
    match behind {
        Behind::Relay(backend) => {
            let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                return;
            };
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            let _ = tls.shutdown().await;
        }
        Behind::HangUp(answer) => {
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !complete(&request) {
                match tls.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = tls.write_all(answer.as_bytes()).await;
            let _ = tls.flush().await;
            // Dropped without shutdown(): the TCP connection closes with no
            // close_notify.
            drop(tls);
        }
    }
}

/// Whether `request` holds its head and as much body as it announced.
fn complete(request: &[u8]) -> bool {
    let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    request.len() >= end + 4 + length
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
