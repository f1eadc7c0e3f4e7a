//! A private X display for the window, so the tests need no desktop and never touch the user's.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Display {
    child: Child,
    pub name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number (it tells which through -displayfd).
    pub fn start() -> Display {
        Display::start_sized(1400, 900)
    }

    /// A screen of this size: 1366×768 is the office laptop the window must fit (issue #18).
    pub fn start_sized(width: u32, height: u32) -> Display {
        let screen = format!("{width}x{height}x24");
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &screen,
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (Debian package xvfb; ./dev.sh setup installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let n = line.trim();
        assert!(!n.is_empty(), "Xvfb did not say which display it took");
        Display {
            child,
            name: format!(":{n}"),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Display {
    /// Asks every window on this display to close as the window manager's close button does:
    /// the WM_DELETE_WINDOW message of ICCCM, which GTK turns into the window's close request.
    /// (A private Xvfb has no window manager, and killing the app or WebDriver's "close window"
    /// would skip what the app does when a person closes it.) Answers how many were asked.
    // The window benchmark includes this file too and closes its windows over WebDriver. Xlib
    // is there on Linux only (the Windows check builds these tests too).
    #[allow(dead_code)]
    #[cfg(target_os = "linux")]
    pub fn close_windows(&self) -> usize {
        use std::ffi::CString;
        use x11_dl::xlib;
        let x = xlib::Xlib::open().expect("libX11 (the window's toolkit links it already)");
        let name = CString::new(self.name.as_str()).unwrap();
        // SAFETY: plain Xlib calls on a display opened here and closed before returning; every
        // buffer Xlib returns is freed with XFree.
        unsafe {
            let d = (x.XOpenDisplay)(name.as_ptr());
            assert!(!d.is_null(), "the display {} opens", self.name);
            let atom = |s: &str| {
                let s = CString::new(s).unwrap();
                (x.XInternAtom)(d, s.as_ptr(), xlib::False)
            };
            let (protocols, delete) = (atom("WM_PROTOCOLS"), atom("WM_DELETE_WINDOW"));
            let root = (x.XDefaultRootWindow)(d);
            let (mut r, mut parent) = (0, 0);
            let mut children: *mut xlib::Window = std::ptr::null_mut();
            let mut n = 0;
            (x.XQueryTree)(d, root, &mut r, &mut parent, &mut children, &mut n);
            let windows: Vec<xlib::Window> = if children.is_null() {
                Vec::new()
            } else {
                let v = std::slice::from_raw_parts(children, n as usize).to_vec();
                (x.XFree)(children.cast());
                v
            };
            let mut asked = 0;
            for w in windows {
                let mut attrs: xlib::XWindowAttributes = std::mem::zeroed();
                (x.XGetWindowAttributes)(d, w, &mut attrs);
                let mut list: *mut xlib::Atom = std::ptr::null_mut();
                let mut count = 0;
                let has = (x.XGetWMProtocols)(d, w, &mut list, &mut count) != 0
                    && !list.is_null()
                    && std::slice::from_raw_parts(list, count as usize).contains(&delete);
                if !list.is_null() {
                    (x.XFree)(list.cast());
                }
                if attrs.map_state != xlib::IsViewable || !has {
                    continue;
                }
                let mut data = xlib::ClientMessageData::new();
                data.set_long(0, delete as std::os::raw::c_long);
                data.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
                let mut event = xlib::XEvent {
                    client_message: xlib::XClientMessageEvent {
                        type_: xlib::ClientMessage,
                        serial: 0,
                        send_event: xlib::True,
                        display: d,
                        window: w,
                        message_type: protocols,
                        format: 32,
                        data,
                    },
                };
                (x.XSendEvent)(d, w, xlib::False, xlib::NoEventMask, &mut event);
                asked += 1;
            }
            (x.XFlush)(d);
            (x.XCloseDisplay)(d);
            asked
        }
    }
}
