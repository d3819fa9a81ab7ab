//! https for the embedded sites: a certificate authority made at start, and a server
//! certificate it signs for `127.0.0.1`, `localhost` and `::1`. Nothing is read from or
//! trusted on the machine: a client trusts the CA only when handed its PEM (`--ca-cert`).

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::ServerConfig;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA and the server configuration its certificate signs.
#[derive(Clone, Debug)]
pub struct LocalCa {
    /// The CA's certificate, PEM: what a client must trust.
    pub ca_pem: String,
    /// The rustls server side: the server certificate, its chain and key.
    pub server: Arc<ServerConfig>,
}

impl LocalCa {
    /// Makes a fresh CA and server certificate (a few milliseconds: two ECDSA keys).
    pub fn generate() -> Result<LocalCa, String> {
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("cannot make {what}: {e}");
        let mut ca_params = CertificateParams::new(Vec::<String>::new())
            .map_err(|e| fail("the CA certificate", &e))?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "shootout local CA");
        let ca_key = KeyPair::generate().map_err(|e| fail("the CA key", &e))?;
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
            .map_err(|e| fail("the CA certificate", &e))?;

        let names = ["127.0.0.1", "localhost", "::1"].map(String::from).to_vec();
        let leaf_key = KeyPair::generate().map_err(|e| fail("the server key", &e))?;
        let leaf = CertificateParams::new(names)
            .and_then(|p| p.signed_by(&leaf_key, &ca))
            .map_err(|e| fail("the server certificate", &e))?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let mut server = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| fail("the TLS configuration", &e))?
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
            .map_err(|e| fail("the TLS configuration", &e))?;
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(LocalCa {
            ca_pem: ca.pem(),
            server: Arc::new(server),
        })
    }
}
