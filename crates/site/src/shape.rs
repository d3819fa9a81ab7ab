//! Slow and heavy pages: which of the site's paths a [`Shape`] picks, and what a heavy page
//! weighs. The server serves them so; the ground truth is adjusted to match ([`reshape`]).
//!
//! Both are chosen by a hash of the path and the site's seed, so the same pages are slow (or
//! heavy) in every run and for every contestant, and a page keeps its choice whatever query
//! it is asked with (`load` asks for `/page/k?r=i`).

use bytes::{BufMut, Bytes, BytesMut};
use shootout_core::knobs::Shape;
use shootout_core::verify::Expectation;

use crate::generate::Site;

/// Salts, so that the slow pages and the heavy pages are chosen independently.
const SLOW: u64 = 0x5105_5105;
const HEAVY: u64 = 0x4ea7_4ea7;

/// FNV-1a over the path, mixed with the seed: cheap and stable across runs and platforms.
pub fn path_hash(seed: u64, path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in path.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// Whether `path` is one of the [`Shape::slow_pct`] percent held k × L.
pub fn is_slow(shape: &Shape, seed: u64, path: &str) -> bool {
    shape.slow_pct > 0 && path_hash(seed ^ SLOW, path) % 100 < u64::from(shape.slow_pct)
}

/// Whether `path` is one of the [`Shape::heavy_pct`] percent served k × its size. Only a 2xx
/// HTML page of the synthetic site is made heavy (see [`Site::heavy_candidate`]).
pub fn is_heavy(shape: &Shape, seed: u64, path: &str) -> bool {
    shape.heavy_pct > 0
        && shape.heavy_factor > 1
        && path_hash(seed ^ HEAVY, path) % 100 < u64::from(shape.heavy_pct)
}

/// What a page of `len` bytes weighs made heavy by `factor`: `len × factor`, or `len` + 7
/// where that is less (the padding is an HTML comment, `<!--` and `-->` at least).
pub fn heavy_len(len: usize, factor: u32) -> usize {
    let target = len.saturating_mul(factor as usize);
    target.max(len + 7)
}

/// A heavy page's body: the page, then an HTML comment that pads it to [`heavy_len`]. A
/// comment after the document changes neither its title nor its links, for any parser that
/// reads HTML as HTML (a byte scan for `<a` finds none in it either).
pub fn heavy_body(body: &[u8], factor: u32) -> Bytes {
    let total = heavy_len(body.len(), factor);
    let mut out = BytesMut::with_capacity(total);
    out.put_slice(body);
    out.put_slice(b"<!--");
    out.put_bytes(b'x', total - body.len() - 7);
    out.put_slice(b"-->");
    out.freeze()
}

/// Makes `expected` the truth of a site served with `shape`: every record of a page the shape
/// makes heavy has the heavy page's size.
pub fn reshape(expected: &mut Expectation, site: &Site, shape: &Shape) {
    if shape.heavy_pct == 0 {
        return;
    }
    for r in &mut expected.records {
        let Ok(url) = url::Url::parse(&r.url) else {
            continue;
        };
        let path = url.path();
        if site.heavy_candidate(path) && is_heavy(shape, site.spec().seed, path) {
            r.size = heavy_len(r.size, shape.heavy_factor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heavy_body_weighs_k_times_and_ends_in_a_comment() {
        let page = b"<title>t</title><a href=/x>x</a>";
        let heavy = heavy_body(page, 10);
        assert_eq!(heavy.len(), page.len() * 10);
        assert_eq!(heavy.len(), heavy_len(page.len(), 10));
        assert!(heavy.starts_with(page) && heavy.ends_with(b"-->"));
        // Too small to multiply: still a whole comment.
        assert_eq!(heavy_body(b"", 10).as_ref(), b"<!---->".as_slice());
        let chosen = (0..1000)
            .filter(|i| {
                let shape = Shape {
                    heavy_pct: 10,
                    heavy_factor: 10,
                    ..Shape::default()
                };
                is_heavy(&shape, 42, &format!("/page/{i}"))
            })
            .count();
        assert!((60..=140).contains(&chosen), "{chosen} of 1000 at 10%");
    }
}
