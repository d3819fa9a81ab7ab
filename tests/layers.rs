//! The workspace's layers, checked: no file imports from a file that imports it back, and no
//! crate depends on one above it (the lab never on the report; docs/architecture.md).
//!
//! An import is any path through `crate::`, `super::` or `self::` in a file's code (comments
//! left out), `pub use` re-exports included: a file that imports through its parent's
//! re-export of a sibling depends on the parent, and the parent on the sibling. Each is
//! resolved to the file that holds the longest module prefix of the path. `mod x;` itself is
//! a declaration, not an import. A circle is a strongly connected set of two or more files; the
//! failure names every file in it and the lines that close it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One source file of a crate, with the module path it defines and its text.
struct File {
    path: PathBuf,
    module: Vec<String>,
    text: String,
}

/// Every `.rs` file under `src`, with its module path (`lib.rs`/`main.rs` is the root;
/// `a/mod.rs` and `a.rs` are `a`; `a/b.rs` is `a::b`). `src/bin` is left out: each of its files
/// is a crate of its own.
fn files(src: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path != src.join("bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            if module.len() == 1 && (module[0] == "lib" || module[0] == "main") {
                module.clear();
            }
            let text = std::fs::read_to_string(&path).expect("a source file reads");
            out.push(File { path, module, text });
        }
    }
    out
}

/// The code of a line without its comment: from the first `//` outside a string literal.
fn code(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => in_str = !in_str,
            b'/' if !in_str && bytes[i + 1] == b'/' => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

/// The paths a piece of code names, each as its segments, with `{a, b::c}` groups expanded:
/// every `name::…` that starts a path (not `x::name::…`), `crate`, `super` and `self` among them.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("::") {
        let colons = from + at;
        from = colons + 2;
        let start = code[..colons]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        if start == colons || !bytes[start].is_ascii_lowercase() {
            continue;
        }
        // Part of a longer path (`a::b::c` is read once, from `a`).
        if start >= 2 && &code[start - 2..start] == "::" {
            continue;
        }
        expand(Vec::new(), &code[start..], &mut out);
    }
    out
}

/// Reads `a::b::{c, d::e}` from the start of `rest`, prefixed by `prefix`.
fn expand(mut prefix: Vec<String>, rest: &str, out: &mut Vec<Vec<String>>) {
    let mut rest = rest;
    loop {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            prefix.push(name.clone());
            rest = &rest[name.len()..];
            if let Some(r) = rest.strip_prefix("::") {
                rest = r;
                continue;
            }
            out.push(prefix);
            return;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = 0;
            for (i, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        expand(prefix.clone(), group[item..i].trim_start(), out);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(prefix.clone(), group[item..i].trim_start(), out);
                        item = i + 1;
                    }
                    _ => {}
                }
            }
        }
        out.push(prefix);
        return;
    }
}

/// Resolves `path`, named in the module `here`, to an absolute module path: through `crate`,
/// `super` or `self`, or relative to `here` when its first segment is a module below `here`
/// (`use child::X` in a `mod.rs`). `None` for any other path: another crate's, a type's.
fn absolute(
    here: &[String],
    path: &[String],
    is_module: impl Fn(&[String]) -> bool,
) -> Option<Vec<String>> {
    let mut module: Vec<String> = here.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            module.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                module.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = here.to_vec();
            child.push(first.to_owned());
            if !is_module(&child) {
                return None;
            }
        }
        None => return None,
    }
    module.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(module)
}

/// What each file re-exports with `pub use` (or `pub(crate) use`): name → the absolute path
/// it stands for.
fn reexports(
    files: &[File],
    is_module: impl Fn(&[String]) -> bool,
) -> Vec<BTreeMap<String, Vec<String>>> {
    files
        .iter()
        .map(|f| {
            let code: String = f.text.lines().map(code).collect::<Vec<_>>().join(" ");
            let mut out = BTreeMap::new();
            for opener in ["pub use ", "pub(crate) use "] {
                let mut from = 0;
                while let Some(at) = code[from..].find(opener) {
                    let start = from + at + opener.len();
                    let end = code[start..].find(';').map_or(code.len(), |e| start + e);
                    from = end;
                    let mut leaves = Vec::new();
                    expand(Vec::new(), &code[start..end], &mut leaves);
                    for leaf in leaves {
                        if let (Some(name), Some(abs)) =
                            (leaf.last(), absolute(&f.module, &leaf, &is_module))
                        {
                            out.insert(name.clone(), abs);
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// The imports of every file of one crate: file index → (imported file index → the first
/// line that imports it). A path is followed through re-exports to the file that defines the
/// item, and a module's use of the modules it contains (`mod a;` and then `a::f()`, or
/// `pub use a::F`) is containment, not an import, so it is left out.
fn imports(files: &[File]) -> Vec<BTreeMap<usize, (usize, String)>> {
    let by_module: BTreeMap<&[String], usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.as_slice(), i))
        .collect();
    let is_module = |m: &[String]| by_module.contains_key(m);
    let exported = reexports(files, is_module);
    // The file that defines what `abs` names, through at most a few re-exports.
    let resolve = |abs: Vec<String>| {
        let mut abs = abs;
        let mut file = None;
        for _ in 0..8 {
            let Some((k, f)) = (0..=abs.len())
                .rev()
                .find_map(|k| by_module.get(&abs[..k]).map(|&f| (k, f)))
            else {
                break;
            };
            file = Some(f);
            match abs.get(k).and_then(|name| exported[f].get(name)) {
                Some(target) if *target != abs => {
                    let mut next = target.clone();
                    next.extend(abs[k + 1..].iter().cloned());
                    abs = next;
                }
                _ => break,
            }
        }
        file
    };
    files
        .iter()
        .enumerate()
        .map(|(me, f)| {
            let mut edges = BTreeMap::new();
            // Inline modules (`mod tests {`): their `super` is this file's module.
            let mut inline: Vec<(String, usize)> = Vec::new();
            let mut depth = 0usize;
            for (n, line) in f.text.lines().enumerate() {
                let c = code(line);
                let trimmed = c.trim_start();
                let opens_inline = (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod "))
                    && trimmed.ends_with('{');
                if opens_inline {
                    let name = trimmed
                        .trim_start_matches("pub ")
                        .trim_start_matches("mod ")
                        .trim_end_matches('{')
                        .trim()
                        .to_owned();
                    inline.push((name, depth));
                } else {
                    let here: Vec<String> = f
                        .module
                        .iter()
                        .cloned()
                        .chain(inline.iter().map(|(m, _)| m.clone()))
                        .collect();
                    for p in paths(c) {
                        let Some(t) = absolute(&here, &p, is_module).and_then(&resolve) else {
                            continue;
                        };
                        let contained = files[t].module.starts_with(&f.module);
                        if t != me && !contained {
                            edges.entry(t).or_insert((n + 1, line.trim().to_owned()));
                        }
                    }
                }
                for ch in c.chars() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth = depth.saturating_sub(1);
                            if inline.last().is_some_and(|(_, d)| *d == depth) {
                                inline.pop();
                            }
                        }
                        _ => {}
                    }
                }
            }
            edges
        })
        .collect()
}

/// The strongly connected sets of two or more files (Tarjan's algorithm).
fn circles(edges: &[BTreeMap<usize, (usize, String)>]) -> Vec<BTreeSet<usize>> {
    struct State<'a> {
        edges: &'a [BTreeMap<usize, (usize, String)>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<BTreeSet<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        let targets: Vec<usize> = s.edges[v].keys().copied().collect();
        for w in targets {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut set = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                set.insert(w);
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                s.out.push(set);
            }
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Every crate's `src`: the root package's and each of crates/*.
fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("src")];
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates/ lists")
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    crates.sort();
    out.extend(crates);
    out
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for src in sources() {
        let files = files(&src);
        checked += files.len();
        let edges = imports(&files);
        for set in circles(&edges) {
            let mut lines = Vec::new();
            for &a in &set {
                for (&b, (n, text)) in &edges[a] {
                    if set.contains(&b) {
                        lines.push(format!(
                            "    {}:{n} → {}: {text}",
                            files[a].path.display(),
                            files[b].path.display()
                        ));
                    }
                }
            }
            problems.push(format!("an import circle:\n{}", lines.join("\n")));
        }
    }
    assert!(
        checked > 100,
        "only {checked} files found: is the walk broken?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker finds a circle where there is one (so a pass above means something).
#[test]
fn the_checker_sees_a_circle() {
    let dir = std::env::temp_dir().join(format!("shootout-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).expect("temp dir");
    let write = |p: &str, s: &str| std::fs::write(dir.join(p), s).expect("temp file");
    write(
        "lib.rs",
        "pub mod a;\npub mod c;\npub mod d;\npub use d::D;\n",
    );
    write("a/mod.rs", "pub mod b;\npub use b::B;\n");
    // b names c, and c names b through a's re-export: b → c → b. a's own `pub use b::B` is
    // containment; so are lib.rs's.
    write("a/b.rs", "use super::super::c::C;\npub struct B;\n");
    write(
        "c.rs",
        "// crate::d is only a comment here\nuse crate::a::B;\npub struct C;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    );
    // d names lib.rs (its parent), which only contains it: no circle.
    write("d.rs", "use crate::D as _;\npub struct D;\n");
    let files = files(&dir);
    let edges = imports(&files);
    let found = circles(&edges);
    let names: Vec<BTreeSet<String>> = found
        .iter()
        .map(|set| set.iter().map(|&i| files[i].module.join("::")).collect())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        names,
        vec![BTreeSet::from(["a::b".to_owned(), "c".to_owned()])],
        "one circle, a::b ↔ c (through a's re-export); comments, tests and containment are not imports"
    );
}

/// Each crate's layer: a crate depends only on crates of a lower layer, or of its own (hybrid
/// builds on tokio). docs/architecture.md draws the same picture.
fn layer(name: &str) -> usize {
    match name {
        "shootout-core" => 0,
        "shootout-site" | "shootout-http" => 1,
        "shootout-lab" => 3,
        "shootout-report" => 4,
        "shootout" => 5,
        // Every contestant crate.
        _ => 2,
    }
}

/// The `shootout-*` crates a manifest's `[dependencies]` names (not its dev-dependencies:
/// a test may use anything).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]" || line == "[build-dependencies]";
            continue;
        }
        if in_deps && line.starts_with("shootout") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn crates_depend_only_downward_and_the_lab_never_on_the_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &Path| std::fs::read_to_string(p).expect("a manifest reads");
    let mut manifests = vec![("shootout".to_owned(), read(&root.join("Cargo.toml")))];
    for entry in std::fs::read_dir(root.join("crates"))
        .expect("crates/ lists")
        .flatten()
    {
        let text = read(&entry.path().join("Cargo.toml"));
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("a package name")
            .to_owned();
        manifests.push((name, text));
    }
    assert!(
        manifests.len() > 10,
        "only {} manifests found",
        manifests.len()
    );
    let mut problems = Vec::new();
    for (name, text) in &manifests {
        for dep in dependencies(text) {
            if layer(&dep) > layer(name) {
                problems.push(format!(
                    "{name} (layer {}) depends on {dep} (layer {}), which sits above it",
                    layer(name),
                    layer(&dep)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let (_, lab) = manifests
        .iter()
        .find(|(name, _)| name == "shootout-lab")
        .expect("the lab's manifest");
    assert!(
        !dependencies(lab).iter().any(|d| d == "shootout-report"),
        "the lab sits below the report"
    );
}
