//! What a failed child's stderr says, in one line: the harness reports every failed child
//! (a contestant's, the interpreter's readiness check) by it.

/// The line of a failed child's stderr that says why: a panic's location and message (not
/// the "run with RUST_BACKTRACE=1" note after it), or else the last line that is not a note.
pub fn crash_cause(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    if let Some(i) = lines.iter().position(|l| l.contains(" panicked at ")) {
        let at = &lines[i][lines[i].find("panicked at").unwrap_or(0)..];
        let message = lines.get(i + 1).copied().unwrap_or("");
        return format!("{} {message}", at.trim_end_matches(':'))
            .trim()
            .to_owned();
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.is_empty() && !l.starts_with("note: "))
        .map_or_else(|| "no message".to_owned(), |l| (*l).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_is_reported_by_its_panic_not_the_backtrace_note() {
        let stderr = "thread 'main' panicked at crates/x/src/lib.rs:10:5:\n\
                      index out of bounds: the len is 0 but the index is 3\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            crash_cause(stderr),
            "panicked at crates/x/src/lib.rs:10:5 index out of bounds: the len is 0 but the index is 3"
        );
        assert_eq!(
            crash_cause("error: out of memory\n\n"),
            "error: out of memory"
        );
        assert_eq!(crash_cause(""), "no message");
    }
}
