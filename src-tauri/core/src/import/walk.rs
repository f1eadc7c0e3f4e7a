//! Which files an import reads. What the person chose (in the system's dialog, or by a drop) is
//! taken as chosen; inside a chosen folder only plain files are taken: a link is not followed
//! (it could lead anywhere, or in a circle), a pipe or device is not opened (reading one would
//! hang the import with the store locked), and the walk stops at a depth and a count.

use crate::error::{Error, ErrorCode};
use std::path::{Path, PathBuf};

/// How deep and how wide a folder import goes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    /// Folder levels below the chosen folder.
    pub depth: usize,
    /// Files taken from all chosen folders together.
    pub files: usize,
}

impl Default for Budget {
    fn default() -> Self {
        // Far beyond a year of documents sorted by year/month/counterparty, far below what
        // would keep the import (and the store's lock) busy for minutes.
        Budget {
            depth: 16,
            files: 20_000,
        }
    }
}

/// The files to import, in order, and the entries left out with why (one outcome each).
pub(crate) fn expand(paths: &[PathBuf], budget: Budget) -> (Vec<PathBuf>, Vec<(PathBuf, Error)>) {
    let mut walk = Walk {
        budget,
        files: Vec::new(),
        skipped: Vec::new(),
        over_count: false,
    };
    for p in paths {
        // A chosen path is followed if it is a link: the person pointed at it themselves.
        if p.is_dir() {
            walk.folder(p, 0);
        } else {
            walk.files.push(p.clone());
        }
    }
    (walk.files, walk.skipped)
}

struct Walk {
    budget: Budget,
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, Error)>,
    over_count: bool,
}

impl Walk {
    fn folder(&mut self, dir: &Path, depth: usize) {
        if depth > self.budget.depth {
            self.skipped.push((
                dir.to_path_buf(),
                Error::invalid(format!(
                    "Папка вложена глубже {} уровней и не просмотрена",
                    self.budget.depth
                )),
            ));
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                self.skipped.push((
                    dir.to_path_buf(),
                    Error::new(ErrorCode::Io, format!("Папку не удалось открыть: {e}")),
                ));
                return;
            }
        };
        entries.sort();
        for p in entries {
            if self.over_count {
                return;
            }
            // symlink_metadata: the entry itself, never what a link points to.
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                self.skipped.push((p, Error::invalid(
                    "Это ссылка на другой файл или папку; при импорте папки ссылки не открываются. Выберите сам файл",
                )));
            } else if kind.is_dir() {
                self.folder(&p, depth + 1);
            } else if !kind.is_file() {
                self.skipped.push((p, not_a_plain_file()));
            } else if self.files.len() >= self.budget.files {
                self.over_count = true;
                self.skipped.push((
                    p,
                    Error::invalid(format!(
                        "В выбранных папках больше {} файлов: импортированы первые {0}, остальные нет. Выберите папки поменьше",
                        self.budget.files
                    )),
                ));
            } else {
                self.files.push(p);
            }
        }
    }
}

pub(crate) fn not_a_plain_file() -> Error {
    Error::new(
        ErrorCode::UnsupportedFile,
        "Это не обычный файл (канал, устройство или сокет): такие не открываются",
    )
}

/// A plain file in its own right: not a link, not a pipe or device. Used for the files found
/// beside a document (its signatures, the document of a signature), which nobody chose.
pub(crate) fn is_plain_file(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_stops_at_its_depth_and_count_and_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let mut deep = tmp.path().to_path_buf();
        for i in 0..4 {
            deep = deep.join(format!("d{i}"));
            std::fs::create_dir(&deep).unwrap();
            std::fs::write(deep.join(format!("f{i}.pdf")), b"x").unwrap();
        }
        let budget = Budget {
            depth: 2,
            files: 100,
        };
        let (files, skipped) = expand(&[tmp.path().to_path_buf()], budget);
        // d0 is level 1, d1 level 2; d2 is one too deep.
        assert_eq!(files.len(), 2, "{files:?}");
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(
            skipped[0].1.message.contains("глубже 2"),
            "{:?}",
            skipped[0].1
        );

        let budget = Budget {
            depth: 16,
            files: 3,
        };
        let (files, skipped) = expand(&[tmp.path().to_path_buf()], budget);
        assert_eq!(files.len(), 3);
        assert_eq!(
            skipped.len(),
            1,
            "one line for the files left out: {skipped:?}"
        );
        assert!(skipped[0].1.message.contains("больше 3 файлов"));
    }
}
