//! A page's hrefs, held in one buffer.

use std::fmt;

/// The `href` values of a page, in document order, all in one string.
///
/// A page of the Rust docs has a hundred hrefs or more. An owned `String` each was one
/// allocation and one free per href. That was 5% of a corpus crawl's CPU (docs/results.md,
/// "Near the limit"). Here a page makes two allocations, however many hrefs it has: the text,
/// and the offsets where each href ends. The tokeniser pushes an href straight from the page's
/// bytes when it needs no decoding, which is the common case.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Hrefs {
    text: String,
    /// Where each href ends in `text`; the next one starts there.
    ends: Vec<usize>,
}

impl Hrefs {
    /// Appends one href.
    pub fn push(&mut self, href: &str) {
        self.text.push_str(href);
        self.ends.push(self.text.len());
    }

    /// Appends an attribute value as a tree builder reads it ([`super::attribute_value`]).
    /// A value that needs no decoding, which is most of them, is copied straight in from the
    /// page; only the rest get a string of their own on the way.
    pub fn push_attribute(&mut self, raw: &[u8]) {
        self.push(&super::attribute_value(raw));
    }

    /// How many hrefs there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The hrefs, in document order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            text: &self.text,
            ends: self.ends.iter(),
            start: 0,
        }
    }
}

/// The hrefs of an [`Hrefs`], in document order.
pub struct Iter<'a> {
    text: &'a str,
    ends: std::slice::Iter<'a, usize>,
    start: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()?;
        let href = &self.text[self.start..end];
        self.start = end;
        Some(href)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Hrefs {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Hrefs {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut hrefs = Hrefs::default();
        for h in iter {
            hrefs.push(h.as_ref());
        }
        hrefs
    }
}

/// A list of hrefs, as a test writes what it expects: `assert_eq!(e.hrefs, ["/a", "/b"])`.
impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Hrefs {
    fn eq(&self, other: &[S; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl fmt::Debug for Hrefs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_href_as_pushed_in_order() {
        let mut h = Hrefs::default();
        assert!(h.is_empty());
        for s in ["/a", "", "b?c#d", "", "é/ü"] {
            h.push(s);
        }
        assert_eq!(h.len(), 5);
        assert_eq!(h, ["/a", "", "b?c#d", "", "é/ü"]);
        assert_ne!(h, ["/a", "", "b?c#d", ""]);
        assert_eq!(format!("{h:?}"), r#"["/a", "", "b?c#d", "", "é/ü"]"#);
        assert_eq!(h.iter().collect::<Hrefs>(), h);
    }

    #[test]
    fn attributes_are_decoded_as_a_tree_builder_does() {
        let mut h = Hrefs::default();
        h.push_attribute(b"/plain");
        h.push_attribute(b"/a?x=1&amp;y=2");
        h.push_attribute(b"/a?x=1&copy=2");
        h.push_attribute(b"/line\r\nbreak");
        h.push_attribute(b"/nul\0");
        h.push_attribute(b"/bad\xff/utf8");
        assert_eq!(
            h,
            [
                "/plain",
                "/a?x=1&y=2",
                // In an attribute, a legacy reference followed by `=` stays as written.
                "/a?x=1&copy=2",
                "/line\nbreak",
                "/nul\u{FFFD}",
                "/bad\u{FFFD}/utf8",
            ]
        );
    }
}
