//! Where the window opens: the size and position it had last time when that still fits the
//! screen it opens on, else the default size cut down to the screen's work area (the office
//! laptop's 1366×768 minus its task bar is shorter than the 1280×800 default) and centred.
//! Plain numbers in physical pixels, so the rule is tested without a window.

use crate::error::Result;
use crate::store::{SettingKey, Settings, Store};

/// A rectangle on the desktop, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Placement {
    /// Whether `self` lies wholly inside `area`.
    pub fn fits_in(&self, area: &Placement) -> bool {
        let right = i64::from(self.x) + i64::from(self.width);
        let bottom = i64::from(self.y) + i64::from(self.height);
        self.x >= area.x
            && self.y >= area.y
            && right <= i64::from(area.x) + i64::from(area.width)
            && bottom <= i64::from(area.y) + i64::from(area.height)
    }

    /// As the settings table keeps it: `x,y,width,height`.
    pub fn to_setting(&self) -> String {
        format!("{},{},{},{}", self.x, self.y, self.width, self.height)
    }

    /// None for anything that is not four numbers with a size (a damaged or hand-edited value
    /// is forgotten, not an error: the window then opens at its default).
    pub fn from_setting(s: &str) -> Option<Placement> {
        let mut parts = s.split(',').map(str::trim);
        let x = parts.next()?.parse().ok()?;
        let y = parts.next()?.parse().ok()?;
        let width = parts.next()?.parse().ok()?;
        let height = parts.next()?.parse().ok()?;
        if parts.next().is_some() || width == 0 || height == 0 {
            return None;
        }
        Some(Placement {
            x,
            y,
            width,
            height,
        })
    }
}

/// Where the window opens on a screen whose work area is `area`, given the window's `frame`
/// (what the title bar and borders add to the inner size): `saved` when it fits there whole
/// with its frame and is not below `min`, otherwise `wanted` (the default inner size) cut to
/// the work area and centred in it. A placement's width and height are the inner size, as the
/// shell sets it; x and y are the frame's top-left corner. Never taller or wider than the work
/// area, even when that is below `min`: a window past the screen's edge hides its buttons.
pub fn placement(
    saved: Option<Placement>,
    area: Placement,
    frame: (u32, u32),
    wanted: (u32, u32),
    min: (u32, u32),
) -> Placement {
    let room = (
        area.width.saturating_sub(frame.0).max(1),
        area.height.saturating_sub(frame.1).max(1),
    );
    if let Some(s) = saved {
        let outer = Placement {
            width: s.width.saturating_add(frame.0),
            height: s.height.saturating_add(frame.1),
            ..s
        };
        if outer.fits_in(&area) && s.width >= min.0.min(room.0) && s.height >= min.1.min(room.1) {
            return s;
        }
    }
    let width = wanted.0.min(room.0);
    let height = wanted.1.min(room.1);
    let centre =
        |start: i32, space: u32, size: u32| start + (space.saturating_sub(size) / 2) as i32;
    Placement {
        x: centre(area.x, area.width, width + frame.0),
        y: centre(area.y, area.height, height + frame.1),
        width,
        height,
    }
}

impl Store {
    /// The window's last size and position (settings `window_placement`), if kept and readable.
    pub fn window_placement(&self) -> Result<Option<Placement>> {
        Ok(self
            .setting(SettingKey::WindowPlacement)?
            .as_deref()
            .and_then(Placement::from_setting))
    }

    /// Keeps the window's size and position for the next start. Not a decision: no history entry.
    pub fn set_window_placement(&mut self, p: Placement) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?
            .execute([SettingKey::WindowPlacement.as_str(), &p.to_setting()])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Placement = Placement {
        x: 0,
        y: 0,
        width: 1366,
        height: 728, // 768 minus a 40-pixel task bar
    };

    #[test]
    fn the_default_is_cut_to_a_small_screen_and_centred() {
        let p = placement(None, LAPTOP, (0, 0), (1280, 800), (900, 600));
        assert_eq!(
            p,
            Placement {
                x: 43,
                y: 0,
                width: 1280,
                height: 728
            }
        );
        assert!(p.fits_in(&LAPTOP));
    }

    #[test]
    fn the_title_bar_counts_against_the_screen() {
        let p = placement(None, LAPTOP, (2, 37), (1280, 800), (900, 600));
        assert_eq!((p.width, p.height), (1280, 691));
        assert_eq!((p.x, p.y), (42, 0));
        // A saved size that only fits without its title bar is not restored as it is.
        let last = Placement {
            x: 0,
            y: 0,
            width: 1200,
            height: 720,
        };
        let again = placement(Some(last), LAPTOP, (2, 37), (1280, 800), (900, 600));
        assert_eq!(again.height, 691);
    }

    #[test]
    fn the_default_fits_a_large_screen_as_it_is() {
        let big = Placement {
            x: 0,
            y: 0,
            width: 1920,
            height: 1040,
        };
        let p = placement(None, big, (0, 0), (1280, 800), (900, 600));
        assert_eq!((p.width, p.height, p.x, p.y), (1280, 800, 320, 120));
    }

    #[test]
    fn the_last_placement_comes_back_when_it_still_fits() {
        let last = Placement {
            x: 10,
            y: 20,
            width: 1000,
            height: 650,
        };
        assert_eq!(
            placement(Some(last), LAPTOP, (0, 0), (1280, 800), (900, 600)),
            last
        );
    }

    #[test]
    fn a_placement_from_a_bigger_or_another_screen_is_not_restored() {
        // Saved on a 1920×1080 monitor, or on a second monitor to the right that is gone.
        for last in [
            Placement {
                x: 100,
                y: 100,
                width: 1600,
                height: 900,
            },
            Placement {
                x: 1500,
                y: 0,
                width: 1000,
                height: 650,
            },
            Placement {
                x: -50,
                y: 0,
                width: 1000,
                height: 650,
            },
        ] {
            let p = placement(Some(last), LAPTOP, (0, 0), (1280, 800), (900, 600));
            assert_ne!(p, last);
            assert!(p.fits_in(&LAPTOP), "{p:?}");
        }
    }

    #[test]
    fn a_screen_below_the_minimum_still_gets_a_window_inside_it() {
        let tiny = Placement {
            x: 0,
            y: 0,
            width: 800,
            height: 560,
        };
        let p = placement(None, tiny, (0, 0), (1280, 800), (900, 600));
        assert!(p.fits_in(&tiny));
        assert_eq!((p.width, p.height), (800, 560));
    }

    #[test]
    fn only_four_numbers_with_a_size_read_as_a_placement() {
        let p = Placement {
            x: -8,
            y: 31,
            width: 1200,
            height: 700,
        };
        assert_eq!(Placement::from_setting(&p.to_setting()), Some(p));
        for bad in [
            "",
            "1,2,3",
            "1,2,3,4,5",
            "a,b,c,d",
            "0,0,0,700",
            "0,0,-5,700",
        ] {
            assert_eq!(Placement::from_setting(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_store_keeps_the_last_placement() {
        let dir = tempfile::tempdir().unwrap();
        let opts = || crate::OpenOptions {
            keychain: crate::keychain::KeychainMode::File,
            ..crate::OpenOptions::default()
        };
        let mut store = Store::open(dir.path(), opts()).unwrap();
        assert_eq!(store.window_placement().unwrap(), None);
        let p = Placement {
            x: 5,
            y: 6,
            width: 1100,
            height: 680,
        };
        store.set_window_placement(p).unwrap();
        drop(store);
        let store = Store::open(dir.path(), opts()).unwrap();
        assert_eq!(store.window_placement().unwrap(), Some(p));
    }
}
