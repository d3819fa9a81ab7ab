//! The `naive` strategy: a byte scan, wrong on purpose (the verifier marks it ✗).

use super::{Extracted, Extractor, decode};

/// The naive strategy: find `<a` and `<title>` in the bytes, as a quick regex scraper does.
/// It does not know that comments, `<script>` and `<style>` hold text, not tags, so it counts
/// the anchors in them and follows their hrefs. It exists to be caught by the verifier.
#[derive(Clone, Copy, Debug, Default)]
pub struct NaiveExtractor;

impl Extractor for NaiveExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        let mut out = Extracted::default();
        let mut at = 0;
        while let Some(offset) = memchr::memchr(b'<', &body[at..]) {
            let tag = &body[at + offset + 1..];
            let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
            let head = &tag[..end];
            if is_tag(head, b"a") {
                out.links += 1;
                if let Some(href) = attribute(head, b"href") {
                    out.hrefs.push_attribute(href);
                }
            } else if out.title.is_none() && is_tag(head, b"title") {
                let text = &tag[(end + 1).min(tag.len())..];
                let close = memchr::memmem::find(text, b"</title").unwrap_or(text.len());
                let raw = String::from_utf8_lossy(&text[..close]).into_owned();
                out.title = Some(decode(raw, false).trim().to_owned());
            }
            at += offset + 1;
        }
        out
    }
}

/// Whether `head` (what follows a `<`) starts the tag `name`, in any case.
fn is_tag(head: &[u8], name: &[u8]) -> bool {
    head.len() >= name.len()
        && head[..name.len()].eq_ignore_ascii_case(name)
        && head
            .get(name.len())
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/')
}

/// The value of `name="…"` (or `'…'`, or unquoted) inside a tag's head.
fn attribute<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let lower = head.to_ascii_lowercase();
    let mut needle = name.to_vec();
    needle.push(b'=');
    let start = memchr::memmem::find(&lower, &needle)? + needle.len();
    let rest = &head[start..];
    match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let value = &rest[1..];
            Some(&value[..memchr::memchr(q, value).unwrap_or(value.len())])
        }
        _ => Some(
            &rest[..rest
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(rest.len())],
        ),
    }
}
