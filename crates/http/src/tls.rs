//! Trust for https, the same in both engines: Mozilla's root certificates (the
//! `webpki-root-certs` crate, so no OpenSSL and no dependence on the machine's store), plus
//! any CA the user adds with `--ca-cert` (for a local test server, such as `shootout serve
//! --tls`). A handshake that fails is a typed `tls` error in either engine.

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

/// Every certificate both engines trust: Mozilla's roots, then those of `ca_pem`.
pub fn trusted(ca_pem: Option<&str>) -> Vec<CertificateDer<'static>> {
    let mut all: Vec<CertificateDer<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec();
    // Checked up front (`Knobs::validate` callers run `parse_ca_pem` on the file), so a bad
    // text here can only mean no extra CA.
    all.extend(
        ca_pem
            .and_then(|p| parse_ca_pem(p).ok())
            .unwrap_or_default(),
    );
    all
}

/// The rustls client configuration of the async engine: [`trusted`] roots, ring, HTTP/1.1.
#[cfg(feature = "async")]
pub fn client_config(ca_pem: Option<&str>) -> std::sync::Arc<rustls::ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(trusted(ca_pem));
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
        assert!(trusted(None).len() > 100, "Mozilla's roots are there");
    }
}
