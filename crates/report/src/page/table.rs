//! A table of the page, rendered as HTML on the page and as Markdown in docs/results.md, so
//! the two never disagree.

use maud::{Markup, html};

/// A header row and rows of cells, all text.
pub struct Table {
    pub(super) head: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
    /// Columns whose cells may wrap on the page (text, not a number and its unit), so that a
    /// wide table fits the page's width instead of scrolling sideways.
    pub(super) wrap: Vec<usize>,
}

impl Table {
    pub(super) fn new(head: &[&str]) -> Table {
        Table {
            head: head.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            wrap: Vec::new(),
        }
    }

    /// An empty table with the same columns.
    pub(super) fn like(&self) -> Table {
        Table {
            head: self.head.clone(),
            rows: Vec::new(),
            wrap: self.wrap.clone(),
        }
    }

    /// Sets the cell of `name`'s row at column `i` (after the name), making the row if need be.
    pub(super) fn put(&mut self, name: &str, i: usize, cell: String) {
        let width = self.head.len();
        let row = match self.rows.iter().position(|r| r[0] == name) {
            Some(at) => &mut self.rows[at],
            None => {
                let mut row = vec!["—".to_owned(); width];
                row[0] = name.to_owned();
                self.rows.push(row);
                self.rows.last_mut().expect("a row was just pushed")
            }
        };
        row[i + 1] = cell;
    }

    pub(super) fn html(&self) -> Markup {
        html! {
            table {
                tr { @for h in &self.head { th { (h) } } }
                @for row in &self.rows {
                    tr {
                        @for (i, c) in row.iter().enumerate() {
                            td style=[self.wrap.contains(&i).then_some("white-space:normal")] { (c) }
                        }
                    }
                }
            }
        }
    }

    pub(super) fn markdown(&self) -> String {
        use std::fmt::Write as _;
        let cell = |c: &str| c.replace('|', "\\|");
        let mut t = format!(
            "| {} |\n|",
            self.head
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        t.push_str(&"---|".repeat(self.head.len()));
        t.push('\n');
        for row in &self.rows {
            let _ = writeln!(
                t,
                "| {} |",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_render_in_both_formats() {
        let mut t = Table::new(&["a", "b|c"]);
        t.rows.push(vec!["<x>".into(), "1".into()]);
        assert_eq!(t.markdown(), "| a | b\\|c |\n|---|---|\n| <x> | 1 |\n");
        let html = t.html().into_string();
        assert!(html.contains("<td>&lt;x&gt;</td>"), "{html}");
    }
}
