//! Which module of a crate names which: the edges between the children of one module (the crate's
//! top-level modules, or the files of `store/`), read from the source, and the cycles among them.
//!
//! A plain reader, not a compiler: it follows `mod x;` from the crate root, strips comments and
//! literals, and resolves every path that starts with `crate::`, `super::`, `self::` or a known
//! module's name (in `use` trees and in code), plus the scope module's `pub use` re-exports, so
//! `super::Store` counts as an edge to the file that defines what `Store` re-exports. Shared by
//! the core's test and, through `#[path]`, by other crates' tests (the shell's).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where one edge was seen: file, line and the path as written.
#[derive(Debug, Clone)]
pub struct Site {
    pub file: PathBuf,
    pub line: usize,
    pub path: String,
}

/// Edges between the children of one module.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    pub nodes: BTreeSet<String>,
    pub edges: BTreeMap<(String, String), Vec<Site>>,
}

/// A path seen in one source file, already split into segments.
struct Reference {
    module: Vec<String>,
    segments: Vec<String>,
    line: usize,
}

struct SourceFile {
    path: PathBuf,
    references: Vec<Reference>,
    /// `pub use` items of this file's own module: visible name -> path it re-exports.
    reexports: Vec<(Vec<String>, String, Vec<String>)>,
}

impl ModuleGraph {
    /// The graph between the children of `scope` (`&[]`: the crate's top-level modules;
    /// `&["store"]`: the files of store/), read from the crate whose root file is `root`
    /// (lib.rs or main.rs). `ignore` drops references by their resolved path's prefix, e.g.
    /// `&[("store", "import::parse_iso_date")]`, for an edge another change removes.
    pub fn read(root: &Path, scope: &[&str], ignore: &[(&str, &str)]) -> ModuleGraph {
        let scope: Vec<String> = scope.iter().map(|s| s.to_string()).collect();
        let mut files = Vec::new();
        let mut modules = BTreeSet::new();
        read_module(root, Vec::new(), true, &mut files, &mut modules);
        let mut graph = ModuleGraph::default();
        let base = root.parent().unwrap_or(root);
        for m in &modules {
            if m.len() == scope.len() + 1 && m.starts_with(&scope) {
                graph.nodes.insert(m[scope.len()].clone());
            }
        }
        let reexports: BTreeMap<String, Vec<String>> = files
            .iter()
            .flat_map(|f| f.reexports.iter())
            .filter(|(module, _, _)| *module == scope)
            .map(|(_, name, target)| (name.clone(), target.clone()))
            .collect();
        for file in &files {
            for r in &file.references {
                let Some(from) = node_of(&r.module, &scope) else {
                    continue;
                };
                let Some(abs) = resolve(&r.module, &r.segments, &modules) else {
                    continue;
                };
                let Some(to) = target_node(&abs, &scope, &modules, &reexports) else {
                    continue;
                };
                if from == to {
                    continue;
                }
                let shown = abs.join("::");
                if ignore
                    .iter()
                    .any(|(f, p)| *f == from && shown.starts_with(p))
                {
                    continue;
                }
                let site = Site {
                    file: file
                        .path
                        .strip_prefix(base)
                        .unwrap_or(&file.path)
                        .to_path_buf(),
                    line: r.line,
                    path: r.segments.join("::"),
                };
                let sites = graph.edges.entry((from, to)).or_default();
                if !sites
                    .iter()
                    .any(|s| s.file == site.file && s.line == site.line)
                {
                    sites.push(site);
                }
            }
        }
        graph
    }

    /// Every cycle, each the shortest one through some edge, written `a -> b -> a`, with where
    /// each of its edges is seen. Empty when the modules form a DAG.
    pub fn cycles(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (from, to) in self.edges.keys() {
            let Some(mut back) = self.shortest_path(to, from) else {
                continue;
            };
            back.insert(0, from.clone());
            // One cycle, written from its smallest node, is reported once.
            let ring = &back[..back.len() - 1];
            let start = (0..ring.len()).min_by_key(|&i| &ring[i]).unwrap();
            let mut cycle: Vec<String> = ring[start..]
                .iter()
                .chain(&ring[..start])
                .cloned()
                .collect();
            cycle.push(cycle[0].clone());
            if !seen.insert(cycle.clone()) {
                continue;
            }
            let mut text = cycle.join(" -> ");
            for pair in cycle.windows(2) {
                let _ = write!(text, "\n  {} -> {}:", pair[0], pair[1]);
                for site in &self.edges[&(pair[0].clone(), pair[1].clone())] {
                    let _ = write!(
                        text,
                        "\n    {}:{} `{}`",
                        site.file.display(),
                        site.line,
                        site.path
                    );
                }
            }
            out.push(text);
        }
        out
    }

    fn shortest_path(&self, from: &str, to: &str) -> Option<Vec<String>> {
        let mut prev: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = VecDeque::from([from.to_string()]);
        let mut visited = BTreeSet::from([from.to_string()]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                let mut path = vec![n.clone()];
                let mut cur = n;
                while let Some(p) = prev.get(&cur) {
                    path.push(p.clone());
                    cur = p.clone();
                }
                path.reverse();
                return Some(path);
            }
            for (a, b) in self.edges.keys() {
                if *a == n && visited.insert(b.clone()) {
                    prev.insert(b.clone(), n.clone());
                    queue.push_back(b.clone());
                }
            }
        }
        None
    }
}

fn node_of(module: &[String], scope: &[String]) -> Option<String> {
    (module.len() > scope.len() && module.starts_with(scope)).then(|| module[scope.len()].clone())
}

fn target_node(
    abs: &[String],
    scope: &[String],
    modules: &BTreeSet<Vec<String>>,
    reexports: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let head = node_of(abs, scope)?;
    let mut child = scope.to_vec();
    child.push(head.clone());
    if modules.contains(&child) {
        return Some(head);
    }
    // An item of the scope module itself: it belongs to a child only when re-exported from one.
    let target = reexports.get(&head)?;
    node_of(target, scope).filter(|n| {
        let mut m = scope.to_vec();
        m.push(n.clone());
        modules.contains(&m)
    })
}

/// The absolute module path a reference names, if it names one of this crate's.
fn resolve(
    module: &[String],
    segments: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let first = segments.first()?;
    let mut abs: Vec<String>;
    let mut rest = segments;
    match first.as_str() {
        "crate" => {
            abs = Vec::new();
            rest = &segments[1..];
        }
        "self" => {
            abs = module.to_vec();
            rest = &segments[1..];
        }
        "super" => {
            abs = module.to_vec();
            while rest.first().map(String::as_str) == Some("super") {
                abs.pop()?;
                rest = &rest[1..];
            }
        }
        _ => {
            let mut child = module.to_vec();
            child.push(first.clone());
            if !modules.contains(&child) {
                return None;
            }
            abs = module.to_vec();
        }
    }
    abs.extend(rest.iter().cloned());
    Some(abs)
}

/// Reads one module file and, through its `mod x;` lines, every file below it.
fn read_module(
    path: &Path,
    module: Vec<String>,
    owns_dir: bool,
    files: &mut Vec<SourceFile>,
    modules: &mut BTreeSet<Vec<String>>,
) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    modules.insert(module.clone());
    let tokens = tokenize(&text);
    let parsed = parse(&tokens, &module);
    // Children of a mod.rs/lib.rs live beside it; of foo.rs, in foo/.
    let dir = if owns_dir {
        path.parent().unwrap().to_path_buf()
    } else {
        path.with_extension("")
    };
    for m in &parsed.inline_modules {
        modules.insert(m.clone());
    }
    for name in &parsed.file_modules {
        let mut child = module.clone();
        child.push(name.clone());
        let flat = dir.join(format!("{name}.rs"));
        if flat.exists() {
            read_module(&flat, child, false, files, modules);
        } else {
            read_module(&dir.join(name).join("mod.rs"), child, true, files, modules);
        }
    }
    files.push(SourceFile {
        path: path.to_path_buf(),
        references: parsed.references,
        reexports: parsed.reexports,
    });
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Identifiers, `::` and single punctuation with their line; comments and literals dropped.
fn tokenize(text: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let bump_lines = |s: &[char]| s.iter().filter(|&&ch| ch == '\n').count();
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let (start, mut depth) = (i, 0);
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += bump_lines(&c[start..i.min(c.len())]);
        } else if ch == 'r'
            && matches!(c.get(i + 1), Some('"') | Some('#'))
            && raw_string_end(&c, i + 1).is_some()
        {
            let end = raw_string_end(&c, i + 1).unwrap();
            line += bump_lines(&c[i..end]);
            i = end;
        } else if ch == 'b' && c.get(i + 1) == Some(&'r') && raw_string_end(&c, i + 2).is_some() {
            let end = raw_string_end(&c, i + 2).unwrap();
            line += bump_lines(&c[i..end]);
            i = end;
        } else if ch == '"' || (ch == 'b' && c.get(i + 1) == Some(&'"')) {
            let start = i;
            i += if ch == 'b' { 2 } else { 1 };
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            line += bump_lines(&c[start..i.min(c.len())]);
        } else if ch == '\'' {
            // A char literal ('a', '\n', '\u{..}') or a lifetime ('a): only the first is skipped.
            if c.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let word = match (word.as_str(), c.get(i)) {
                ("r", Some('#')) => {
                    // r#ident
                    let s = i + 1;
                    i += 1;
                    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                        i += 1;
                    }
                    c[s..i].iter().collect()
                }
                _ => word,
            };
            out.push((Tok::Ident(word), line));
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

/// The index just past a raw string whose `r`/`br` prefix ends before `i`, if one starts there.
fn raw_string_end(c: &[char], mut i: usize) -> Option<usize> {
    let mut hashes = 0;
    while c.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    if c.get(i) != Some(&'"') {
        return None;
    }
    i += 1;
    while i < c.len() {
        if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(c.len())
}

struct Parsed {
    file_modules: Vec<String>,
    inline_modules: Vec<Vec<String>>,
    references: Vec<Reference>,
    reexports: Vec<(Vec<String>, String, Vec<String>)>,
}

fn parse(tokens: &[(Tok, usize)], file_module: &[String]) -> Parsed {
    let mut p = Parsed {
        file_modules: Vec::new(),
        inline_modules: Vec::new(),
        references: Vec::new(),
        reexports: Vec::new(),
    };
    let ident = |i: usize| match tokens.get(i) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    // Inline modules: (name, brace depth at which they close).
    let mut module = file_module.to_vec();
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if open.last() == Some(&depth) {
                    open.pop();
                    module.pop();
                }
            }
            Tok::Ident(w) if w == "mod" => {
                if let Some(name) = ident(i + 1) {
                    match tokens.get(i + 2).map(|t| &t.0) {
                        Some(Tok::Punct(';')) => p.file_modules.push(name.to_string()),
                        Some(Tok::Punct('{')) => {
                            module.push(name.to_string());
                            p.inline_modules.push(module.clone());
                            open.push(depth);
                            depth += 1;
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            Tok::Ident(w) if w == "use" => {
                let public = i > 0 && matches!(ident(i - 1), Some("pub"))
                    || (i > 3 && ident(i - 4) == Some("pub") && tokens[i - 1].0 == Tok::Punct(')'));
                let mut paths = Vec::new();
                let end = use_tree(tokens, i + 1, Vec::new(), &mut paths);
                for (segments, name, line) in paths {
                    if public && module == file_module && segments.len() > 1 {
                        let resolved = resolve_reexport(&module, &segments);
                        p.reexports.push((module.clone(), name, resolved));
                    }
                    p.references.push(Reference {
                        module: module.clone(),
                        segments,
                        line,
                    });
                }
                i = end;
                continue;
            }
            Tok::Ident(w) => {
                // The start of a path in code: `x::y`, not preceded by `::`.
                let starts = i == 0 || tokens[i - 1].0 != Tok::PathSep;
                if starts && tokens.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) {
                    let mut segments = vec![w.clone()];
                    let mut j = i + 1;
                    while tokens.get(j).map(|t| &t.0) == Some(&Tok::PathSep) {
                        match ident(j + 1) {
                            Some(s) => segments.push(s.to_string()),
                            None => break,
                        }
                        j += 2;
                    }
                    p.references.push(Reference {
                        module: module.clone(),
                        segments,
                        line: tokens[i].1,
                    });
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    p
}

/// A re-export's target as an absolute path where it can be told without the module list
/// (`crate::`, `self::`, `super::`, or a child module's name, which is how mod.rs writes them).
fn resolve_reexport(module: &[String], segments: &[String]) -> Vec<String> {
    let mut abs = module.to_vec();
    let mut rest = segments;
    match segments[0].as_str() {
        "crate" => {
            abs.clear();
            rest = &segments[1..];
        }
        "self" => rest = &segments[1..],
        "super" => {
            while rest.first().map(String::as_str) == Some("super") {
                abs.pop();
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    abs.extend(rest.iter().cloned());
    abs
}

/// Reads a `use` tree from `i`; pushes (full path, visible name, line) per leaf; returns the index
/// after the tree (the `;`, `,` or `}` that ends it is not consumed).
fn use_tree(
    tokens: &[(Tok, usize)],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, String, usize)>,
) -> usize {
    let line = tokens.get(i).map(|t| t.1).unwrap_or(0);
    loop {
        match tokens.get(i).map(|t| &t.0) {
            Some(Tok::PathSep) => i += 1,
            Some(Tok::Ident(s)) if s == "as" => {
                let alias = match tokens.get(i + 1) {
                    Some((Tok::Ident(a), _)) => a.clone(),
                    _ => String::new(),
                };
                if !prefix.is_empty() {
                    out.push((prefix, alias, line));
                }
                return i + 2;
            }
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                i += 1;
            }
            Some(Tok::Punct('*')) => {
                prefix.push("*".into());
                out.push((prefix, String::new(), line));
                return i + 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i).map(|t| &t.0) {
                        Some(Tok::Punct('}')) => return i + 1,
                        Some(Tok::Punct(',')) => i += 1,
                        None => return i,
                        _ => i = use_tree(tokens, i, prefix.clone(), out),
                    }
                }
            }
            _ => {
                if let Some(last) = prefix.last().cloned() {
                    // `use a::b::{self}` names the module `b` itself.
                    if last == "self" && prefix.len() > 1 {
                        prefix.pop();
                    }
                    let name = prefix.last().cloned().unwrap_or_default();
                    out.push((prefix, name, line));
                }
                return i;
            }
        }
    }
}
