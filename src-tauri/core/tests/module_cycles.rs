//! No module cycles in the core: its top-level modules, and the files of store/, form a DAG.
//! A cycle means neither side can be understood, tested or moved without the other (issue #16).

mod module_graph;

use module_graph::ModuleGraph;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")
}

fn assert_no_cycles(scope: &[&str], graph: &ModuleGraph) {
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "module cycles among the children of `crate::{}`:\n{}",
        scope.join("::"),
        cycles.join("\n")
    );
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = ModuleGraph::read(&root(), &[], &[]);
    assert_no_cycles(&[], &graph);
}

#[test]
fn files_of_the_store_form_no_cycle() {
    let graph = ModuleGraph::read(&root(), &["store"], &[]);
    assert_no_cycles(&["store"], &graph);
}

/// The desktop app's crate (src-tauri/lib.rs): main routes once to the window, the demo or the
/// CLI, so app.rs, cli/ and demo.rs no longer reach each other in a circle; nor do cli/'s files.
#[test]
fn the_shell_s_modules_form_no_cycle() {
    let shell = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lib.rs");
    let graph = ModuleGraph::read(&shell, &[], &[]);
    for m in ["app", "cli", "demo", "commands", "state", "route"] {
        assert!(
            graph.nodes.contains(m),
            "module {m} not found: {:?}",
            graph.nodes
        );
    }
    assert!(graph.edges.contains_key(&("route".into(), "cli".into())));
    assert_no_cycles(&[], &graph);
    for scope in [&["cli"][..], &["commands"][..]] {
        assert_no_cycles(scope, &ModuleGraph::read(&shell, scope, &[]));
    }
}

/// The reader itself: it must see the edges a cycle is made of, or the tests above prove nothing.
#[test]
fn the_reader_sees_known_edges() {
    let top = ModuleGraph::read(&root(), &[], &[]);
    for m in [
        "store",
        "import",
        "trust",
        "model",
        "acts",
        "operator",
        "signature",
    ] {
        assert!(
            top.nodes.contains(m),
            "module {m} not found: {:?}",
            top.nodes
        );
    }
    // `use crate::store::{NewDocument, ...}` in import/mod.rs; `crate::store::Store` in trust.
    assert!(top.edges.contains_key(&("import".into(), "store".into())));
    assert!(top.edges.contains_key(&("trust".into(), "store".into())));
    // A re-export at the crate root (`crate::Error` is error's) counts for its module.
    assert!(top.edges.contains_key(&("store".into(), "error".into())));
    let store = ModuleGraph::read(&root(), &["store"], &[]);
    // `use super::{notifications, Store}` in outbox.rs; `super::history::append` inline.
    assert!(store
        .edges
        .contains_key(&("outbox".into(), "notifications".into())));
    assert!(store
        .edges
        .contains_key(&("outbox".into(), "history".into())));
}

/// A small crate written at test time: a cycle through `use` and an inline `super::` path is
/// named; paths in comments, strings and test modules are not edges.
#[test]
fn a_cycle_is_named_with_its_sites() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::write(
        src.join("lib.rs"),
        "mod a;\nmod b;\nmod c;\npub use c::Thing;\n",
    )
    .unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::{self, Item as Other};\n").unwrap();
    std::fs::write(
        src.join("b.rs"),
        "// crate::c::x in a comment\nfn f() { let _ = \"crate::c::y\"; super::a::g(); }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("c.rs"),
        "pub struct Thing;\nfn h() { crate::Thing; }\n\
         #[cfg(test)]\nmod tests { use crate::a::X; }\n\
         #[cfg(test)]\npub(crate) mod kit;\n",
    )
    .unwrap();
    let graph = ModuleGraph::read(&src.join("lib.rs"), &[], &[]);
    let cycles = graph.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].starts_with("a -> b -> a"), "{}", cycles[0]);
    assert!(cycles[0].contains("b.rs:2 `super::a::g`"), "{}", cycles[0]);
    assert!(!graph.edges.contains_key(&("b".into(), "c".into())));
    assert!(!graph.edges.contains_key(&("c".into(), "a".into())));
    // `crate::Thing` is c's own item re-exported at the root: no edge c -> c.
    assert_eq!(graph.edges.len(), 2, "{:?}", graph.edges.keys());
    // An ignored reference is no edge.
    let ignored = ModuleGraph::read(&src.join("lib.rs"), &[], &[("b", "a::g")]);
    assert!(ignored.cycles().is_empty());
}
