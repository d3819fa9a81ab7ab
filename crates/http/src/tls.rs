//! Trust for https, the same in both engines: Mozilla's root certificates (the webpki-roots
//! crate, and webpki-root-certs at the same version where ureq needs them as certificates; no
//! OpenSSL and no dependence on the machine's store), plus any CA the user adds with
//! `--ca-cert` (for a local test server, such as `shootout serve --tls`). A handshake that
//! fails is a typed `tls` error in either engine.

use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// The certificates in a PEM text, checked the way a trust store will use them. An error says
/// what is wrong, in words for a one-line message about `--ca-cert`.
pub fn parse_ca_pem(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not a PEM file of certificates: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in it (expected -----BEGIN CERTIFICATE-----)".into());
    }
    let (_, unusable) = RootCertStore::empty().add_parsable_certificates(certs.iter().cloned());
    if unusable > 0 {
        return Err(format!("{unusable} of its certificates cannot be parsed"));
    }
    Ok(certs)
}

/// The rustls error under an I/O error, if that is what it is: both engines report it as a
/// `tls` error in rustls's words.
pub fn rustls_cause(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// The certificates of `ca_pem` (checked up front: `crawl` runs [`parse_ca_pem`] on the
/// `--ca-cert` file, so a bad text here can only mean no extra CA).
fn extra(ca_pem: Option<&str>) -> Vec<CertificateDer<'static>> {
    ca_pem
        .and_then(|p| parse_ca_pem(p).ok())
        .unwrap_or_default()
}

/// What the blocking engine (ureq) trusts. Without `--ca-cert`, ureq's own copy of Mozilla's
/// roots (webpki-roots: ready-made trust anchors, nothing to parse or copy, so a plain-http
/// run pays nothing for https). With it, the same roots as certificates (webpki-root-certs,
/// the same version), plus the extra CA.
#[cfg(feature = "blocking")]
pub fn ureq_roots(ca_pem: Option<&str>) -> ureq::tls::RootCerts {
    use ureq::tls::{Certificate, RootCerts};
    let added = extra(ca_pem);
    if added.is_empty() {
        return RootCerts::WebPki;
    }
    let all: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .chain(&added)
        .map(|der| Certificate::from_der(der).to_owned())
        .collect();
    RootCerts::Specific(std::sync::Arc::new(all))
}

/// The rustls client configuration of the async engine: Mozilla's roots (webpki-roots'
/// trust anchors, as ureq uses), plus the extra CA; ring; HTTP/1.1. Built on a client's first
/// https connection, so a plain-http run never builds it.
#[cfg(feature = "async")]
pub fn client_config(ca_pem: Option<&str>) -> std::sync::Arc<rustls::ClientConfig> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    roots.add_parsable_certificates(extra(ca_pem));
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports rustls's default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    std::sync::Arc::new(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pem_is_refused_in_words() {
        assert!(
            parse_ca_pem("")
                .expect_err("empty")
                .contains("no certificate")
        );
        let garbage = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n";
        assert!(parse_ca_pem(garbage).is_err());
        // The two copies of Mozilla's roots hold the same authorities.
        assert_eq!(
            webpki_roots::TLS_SERVER_ROOTS.len(),
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.len()
        );
        assert!(webpki_roots::TLS_SERVER_ROOTS.len() > 100);
    }
}
