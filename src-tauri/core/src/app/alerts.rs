//! Desktop notifications as a use-case: the window asks for what is due whenever it is not in
//! front (after a sync, and every few minutes); what it gets is recorded as shown.

use super::App;
use crate::alerts::{self, Alert};
use crate::error::Result;

impl App {
    /// The notifications due now, each returned once (kinds turned off are passed over).
    pub fn take_alerts(&self) -> Result<Vec<Alert>> {
        self.write(alerts::take_due)
    }
}
