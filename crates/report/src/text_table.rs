//! The leaderboards' tables as text: no borders, columns two spaces apart, each aligned left
//! (names) or right (numbers), indented two spaces under the table's heading line. comfy-table
//! measures every column, so a column is as wide as its widest cell and optional columns cost
//! no bookkeeping.

use comfy_table::presets::NOTHING;
use comfy_table::{Cell, CellAlignment, Table};

/// How a column's cells line up.
#[derive(Clone, Copy)]
pub enum Align {
    /// Names and words.
    Left,
    /// Numbers.
    Right,
}

/// A table being filled: its columns, then its rows.
pub struct TextTable {
    table: Table,
    aligns: Vec<CellAlignment>,
}

impl TextTable {
    /// A table with these columns (header and alignment).
    pub fn new(columns: &[(&str, Align)]) -> TextTable {
        let aligns: Vec<CellAlignment> = columns
            .iter()
            .map(|(_, a)| match a {
                Align::Left => CellAlignment::Left,
                Align::Right => CellAlignment::Right,
            })
            .collect();
        let mut table = Table::new();
        table.load_preset(NOTHING).set_header(
            columns
                .iter()
                .zip(&aligns)
                .map(|((h, _), &a)| Cell::new(h).set_alignment(a)),
        );
        TextTable { table, aligns }
    }

    /// Adds a row, one cell per column.
    pub fn row(&mut self, cells: Vec<String>) {
        self.table.add_row(
            cells
                .into_iter()
                .zip(&self.aligns)
                .map(|(c, &a)| Cell::new(c).set_alignment(a)),
        );
    }

    /// The table, each line indented two spaces and without trailing blanks.
    pub fn render(&self) -> String {
        // The preset pads every cell with one space on each side: one more space before the
        // first column makes the indent two.
        self.table
            .lines()
            .map(|line| format!(" {}\n", line.trim_end()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_left_or_right() {
        let mut t = TextTable::new(&[("name", Align::Left), ("n", Align::Right)]);
        t.row(vec!["tokio".into(), "7".into()]);
        t.row(vec!["tokio-current-thread".into(), "123".into()]);
        assert_eq!(
            t.render(),
            "  name                    n\n  tokio                   7\n  tokio-current-thread  123\n"
        );
    }
}
