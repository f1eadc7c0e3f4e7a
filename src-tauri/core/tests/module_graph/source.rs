//! One source file read as tokens: its `mod` lines, the paths it names and its `pub use`s.

/// A path seen in one source file, already split into segments.
pub struct Reference {
    pub module: Vec<String>,
    pub segments: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Identifiers, `::` and single punctuation with their line; comments and literals dropped.
pub fn tokenize(text: &str) -> Vec<(Tok, usize)> {
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

pub struct Parsed {
    pub file_modules: Vec<String>,
    pub inline_modules: Vec<Vec<String>>,
    pub references: Vec<Reference>,
    pub reexports: Vec<(Vec<String>, String, Vec<String>)>,
}

pub fn parse(tokens: &[(Tok, usize)], file_module: &[String]) -> Parsed {
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
            Tok::Punct('#') => {
                // `#[cfg(test)] mod x { .. }` or `mod x;`: tests may use any sibling (through
                // the public API); only what ships counts.
                if let Some(k) = test_module_at(tokens, i) {
                    i = past_item(tokens, k);
                    continue;
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

/// The index past the `;` at `k`, or past the block that opens at `k`.
fn past_item(tokens: &[(Tok, usize)], mut k: usize) -> usize {
    let mut depth = 0usize;
    while let Some((t, _)) = tokens.get(k) {
        k += 1;
        match t {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
    k
}

/// Where the `{` or `;` of `#[cfg(test)] [pub[(..)]] mod name` is, if one starts at `i`.
fn test_module_at(tokens: &[(Tok, usize)], i: usize) -> Option<usize> {
    let word = |k: usize, w: &str| matches!(tokens.get(k), Some((Tok::Ident(s), _)) if s == w);
    let punct = |k: usize, c: char| tokens.get(k).map(|t| &t.0) == Some(&Tok::Punct(c));
    let attribute = punct(i + 1, '[')
        && word(i + 2, "cfg")
        && punct(i + 3, '(')
        && word(i + 4, "test")
        && punct(i + 5, ')')
        && punct(i + 6, ']');
    if !attribute {
        return None;
    }
    let mut k = i + 7;
    if word(k, "pub") {
        k += 1;
        if punct(k, '(') {
            while k < tokens.len() && !punct(k, ')') {
                k += 1;
            }
            k += 1;
        }
    }
    let named = word(k, "mod") && matches!(tokens.get(k + 1), Some((Tok::Ident(_), _)));
    (named && (punct(k + 2, '{') || punct(k + 2, ';'))).then_some(k + 2)
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
