//! Which module of a crate names which: the edges between the children of one module (the crate's
//! top-level modules, or the files of `store/`), read from the source, and the cycles among them.
//!
//! A plain reader, not a compiler: it follows `mod x;` from the crate root, strips comments and
//! literals, and resolves every path that starts with `crate::`, `super::`, `self::` or a known
//! module's name (in `use` trees and in code), plus the scope module's `pub use` re-exports, so
//! `super::Store` counts as an edge to the file that defines what `Store` re-exports. Test modules
//! (`#[cfg(test)] mod …`) are skipped: they may use any sibling. Shared by
//! the core's test and, through `#[path]`, by other crates' tests (the shell's).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod source;

use source::{parse, tokenize, Reference};

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
    /// References dropped by `ignore`, by the ignore entry's index: an entry that drops nothing
    /// is stale and should go.
    pub ignored: BTreeMap<usize, Vec<Site>>,
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
                let site = Site {
                    file: file
                        .path
                        .strip_prefix(base)
                        .unwrap_or(&file.path)
                        .to_path_buf(),
                    line: r.line,
                    path: r.segments.join("::"),
                };
                let shown = abs.join("::");
                if let Some(k) = ignore
                    .iter()
                    .position(|(f, p)| *f == from && shown.starts_with(p))
                {
                    graph.ignored.entry(k).or_default().push(site);
                    continue;
                }
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
