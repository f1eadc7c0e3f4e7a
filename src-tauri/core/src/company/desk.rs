//! The company open in the window, and switching to another one. Whatever the window does goes
//! through the open company's `App`; a call made for a company that is no longer open is
//! refused (the page names the company it shows in every call), so a click on company A's
//! screen can never sign, decide or send anything of company B's, even when both stores hold a
//! document under the same number.
//!
//! Switching closes the old company's `App`: it is refused while a signing batch or a sync runs
//! in it, and waits (briefly) until no call still holds it, so no operation is left working on
//! a company that is no longer open. The company switched to becomes the default one: the
//! window opens it next time.

use super::{hold, Companies, Company, CompanyLine, Hold, RemovalPlan, Removed};
use crate::app::{App, SIGNING, SYNC};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{OpenOptions, Store};
use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// How long a switch waits for calls still holding the old company to end.
const HOLDERS_WAIT: Duration = Duration::from_secs(3);

struct Open {
    company: Company,
    app: Arc<App>,
    /// Keeps another process from removing the company while it is open here.
    _hold: Hold,
}

pub struct Desk {
    companies: Companies,
    options: OpenOptions,
    open: RwLock<Open>,
}

impl Desk {
    /// Opens the company `key` (the default one when none) of the data folder `root`.
    pub fn open(root: &Path, key: Option<&str>, options: OpenOptions) -> Result<Desk> {
        let companies = Companies::at(root);
        let company = companies.pick(key)?;
        let (app, held) = open_app(&companies, &company, &options)?;
        Ok(Desk {
            companies,
            options,
            open: RwLock::new(Open {
                company,
                app: Arc::new(app),
                _hold: held,
            }),
        })
    }

    fn current(&self) -> RwLockReadGuard<'_, Open> {
        self.open.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn companies(&self) -> &Companies {
        &self.companies
    }

    /// The open company.
    pub fn company(&self) -> Company {
        self.current().company.clone()
    }

    /// The open company's app (for the window's own background work, which follows the open
    /// company).
    pub fn app(&self) -> Arc<App> {
        self.current().app.clone()
    }

    /// The app of `company`, only while it is the open one: a call the page made for a company
    /// that has since been switched away from is refused, with nothing done.
    pub fn app_for(&self, company: Option<&str>) -> Result<Arc<App>> {
        let open = self.current();
        match company {
            Some(id) if id == open.company.id => Ok(open.app.clone()),
            Some(id) => {
                let was = self
                    .companies
                    .list()
                    .ok()
                    .and_then(|l| l.into_iter().find(|c| c.id == id))
                    .map(|c| format!("«{}»", c.name))
                    .unwrap_or_else(|| "другой компании".into());
                Err(Error::new(
                    ErrorCode::CompanyChanged,
                    format!(
                        "Действие относилось к компании {was}, а открыта «{}»: ничего не сделано. Проверьте открытую компанию и повторите",
                        open.company.name
                    ),
                ))
            }
            None => Err(Error::invalid(
                "Не указано, к какой компании относится действие: ничего не сделано",
            )),
        }
    }

    /// Every company with what waits in it; the open one's line says so.
    pub fn overview(&self) -> Result<(Company, Vec<CompanyLine>)> {
        let mut open = self.company();
        let lines = self.companies.overview()?;
        // Renamed from the command line meanwhile: the list's name is the current one.
        if let Some(line) = lines.iter().find(|l| l.id == open.id) {
            open.name = line.name.clone();
        }
        Ok((open, lines))
    }

    /// Opens the company `key` in place of the open one (see the module's note).
    pub fn switch(&self, key: &str) -> Result<Company> {
        let target = self.companies.pick(Some(key))?;
        let old = self.app();
        if target.id == self.company().id {
            return Ok(target);
        }
        refuse_while_busy(&old)?;
        drop(old);
        // Opened before anything is closed: a store that does not open leaves the old one open.
        let (app, held) = open_app(&self.companies, &target, &self.options)?;
        let app = Arc::new(app);
        let mut open = self.open.write().unwrap_or_else(|e| e.into_inner());
        let deadline = Instant::now() + HOLDERS_WAIT;
        // The lock keeps new calls from taking the old app; the ones that have it finish.
        while Arc::strong_count(&open.app) > 1 {
            if Instant::now() > deadline {
                refuse_while_busy(&open.app)?;
                return Err(busy());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let old = std::mem::replace(
            &mut *open,
            Open {
                company: target.clone(),
                app,
                _hold: held,
            },
        );
        drop(open);
        drop(old);
        // Remembered for the next start; the switch itself has happened either way.
        if let Err(e) = self.companies.set_default(&target.id) {
            eprintln!("Компания по умолчанию не сохранена: {}", e.message);
        }
        Ok(target)
    }

    pub fn add(&self, name: &str) -> Result<Company> {
        self.companies.add(name)
    }

    pub fn rename(&self, key: &str, name: &str) -> Result<Company> {
        let renamed = self.companies.rename(key, name)?;
        let mut open = self.open.write().unwrap_or_else(|e| e.into_inner());
        if open.company.id == renamed.id {
            open.company = renamed.clone();
        }
        Ok(renamed)
    }

    /// What removing `key` deletes; the open company is never removed.
    pub fn removal_plan(&self, key: &str) -> Result<RemovalPlan> {
        self.companies.removal_plan(key, Some(&self.company().id))
    }

    pub fn remove(&self, key: &str) -> Result<Removed> {
        // Held for reading: no switch to the company being removed can happen meanwhile.
        let open = self.current();
        self.companies.remove(key, Some(&open.company.id))
    }
}

/// The company's app, and its hold (taken first: a removal under way finishes before).
fn open_app(
    companies: &Companies,
    company: &Company,
    options: &OpenOptions,
) -> Result<(App, Hold)> {
    let dir = companies.dir(company);
    let held = hold(&dir)?;
    Ok((App::new(Store::open(&dir, options.clone())?)?, held))
}

fn refuse_while_busy(app: &App) -> Result<()> {
    let what = if app.operations.running(SIGNING) {
        "идёт подписание"
    } else if app.operations.running(SYNC) {
        "идёт синхронизация"
    } else {
        return Ok(());
    };
    Err(Error::invalid(format!(
        "Сейчас {what}: дождитесь окончания (или отмените) и переключите компанию снова"
    )))
}

fn busy() -> Error {
    Error::invalid(
        "Компания ещё занята (идёт импорт, отправка или другое действие): дождитесь окончания и переключите компанию снова",
    )
}
