//! Which character encoding a page is in, and its bytes as UTF-8 for the extractors.
//!
//! The decision is a browser's, simplified: a byte-order mark wins, then the `charset` of the
//! `Content-Type` header, then a `<meta charset>` (or `<meta http-equiv="Content-Type">`) in
//! the first 1024 bytes, then UTF-8. Labels are read as the WHATWG Encoding Standard reads
//! them (encoding_rs), so `iso-8859-1` means windows-1252, as it does in every browser.
//! (The full HTML prescan also handles comments and attribute quoting corner cases; this one
//! looks for `charset=` inside `<meta` tags, which is what real pages write.)

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How far into a page a `<meta charset>` is looked for, as in the HTML standard.
const PRESCAN: usize = 1024;

/// The encoding of `body`, served with `content_type` (if any).
pub fn encoding_of(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(body) {
        return encoding;
    }
    content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .or_else(|| meta_charset(&body[..body.len().min(PRESCAN)]))
        .unwrap_or(UTF_8)
}

/// `body` as UTF-8. A UTF-8 page (nearly every page) is returned as it is, without a copy or
/// a check: the extractors replace invalid sequences themselves. Any other encoding is
/// decoded, with malformed sequences replaced by U+FFFD as browsers do.
pub fn to_utf8<'a>(body: &'a [u8], content_type: Option<&str>) -> Cow<'a, [u8]> {
    let encoding = encoding_of(body, content_type);
    if encoding == UTF_8 {
        return Cow::Borrowed(body);
    }
    match encoding.decode(body).0 {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

/// The `charset` parameter of a Content-Type value, unquoted.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// The encoding named by a `charset=` inside a `<meta` tag of `head`. A meta tag cannot name
/// UTF-16 (the bytes it is written in would not be ASCII): the standard reads that as UTF-8.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut rest = lower.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag = &rest[start..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(at) = find(tag, b"charset=") {
            let value = &tag[at + b"charset=".len()..];
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|&b| {
                    matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                })
                .unwrap_or(value.len());
            let encoding = Encoding::for_label(&value[..len])?;
            return Some(if encoding == UTF_16LE || encoding == UTF_16BE {
                UTF_8
            } else {
                encoding
            });
        }
        rest = &rest[start + end..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Strategy;

    fn title(body: &[u8], content_type: Option<&str>) -> Option<String> {
        let utf8 = to_utf8(body, content_type);
        let dom = Strategy::Dom.extract(&utf8).title;
        assert_eq!(
            dom,
            Strategy::Stream.extract(&utf8).title,
            "both strategies agree"
        );
        dom
    }

    #[test]
    fn latin1_from_the_content_type() {
        let body = b"<title>Caf\xe9 na\xefve</title>";
        assert_eq!(
            title(body, Some("text/html; charset=ISO-8859-1")).as_deref(),
            Some("Café naïve")
        );
        // Without the header, the bytes are not UTF-8: replaced, not guessed.
        assert_eq!(
            title(body, Some("text/html")).as_deref(),
            Some("Caf\u{fffd} na\u{fffd}ve")
        );
    }

    #[test]
    fn windows_1252_from_a_meta_tag() {
        let body = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
                     <title>\x93quoted\x94 \x80 5</title></head></html>";
        assert_eq!(
            title(body, None).as_deref(),
            Some("\u{201c}quoted\u{201d} \u{20ac} 5")
        );
        let short = b"<meta charset='latin1'><title>na\xefve</title>";
        assert_eq!(title(short, Some("text/html")).as_deref(), Some("naïve"));
    }

    #[test]
    fn a_bom_wins_and_utf16_is_decoded() {
        let mut body = vec![0xff, 0xfe];
        for unit in "<title>Ωmega</title>".encode_utf16() {
            body.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            title(&body, Some("text/html; charset=iso-8859-1")).as_deref(),
            Some("Ωmega")
        );
    }

    #[test]
    fn utf8_is_passed_through_without_a_copy() {
        let body = "<meta charset=utf-8><title>Ωmega</title>".as_bytes();
        assert!(matches!(to_utf8(body, None), Cow::Borrowed(b) if b.as_ptr() == body.as_ptr()));
        assert!(matches!(to_utf8(body, Some("text/html")), Cow::Borrowed(_)));
        // A meta tag that claims UTF-16 in ASCII bytes means UTF-8.
        assert_eq!(encoding_of(b"<meta charset=utf-16>", None), UTF_8);
    }
}
