//! The clients an app keeps while their settings stay the same: NCALayer (one connection serves
//! many requests), the operator and the ORD of the current account (the token read from the OS
//! keychain once). The settings are read in a short step; no client is made under the store.

use crate::acts::HttpOrd;
use crate::error::{Error, Result};
use crate::ncalayer::{self, NcaLayer, Pinning};
use crate::operator::{self as op, HttpOperator, HttpSettings};
use crate::store::{SettingKey, Settings, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What an NCALayer client is made from: a change of any of these makes a new client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerSettings {
    pub url: String,
    pub pin: Option<String>,
    pub ca_file: Option<String>,
    pub timeout: Option<String>,
}

impl SignerSettings {
    /// The settings in the store; the URL from `url` (a CLI flag) or QOLTANBA_SIGNER_URL wins.
    pub fn read(store: &Store, url: Option<&str>) -> Result<SignerSettings> {
        let env = std::env::var("QOLTANBA_SIGNER_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let url = match (url, env) {
            (Some(u), _) => u.to_string(),
            (None, Some(u)) => u,
            (None, None) => store
                .setting(SettingKey::SignerUrl)?
                .unwrap_or_else(|| ncalayer::DEFAULT_URL.to_string()),
        };
        Ok(SignerSettings {
            url,
            pin: store.setting(SettingKey::SignerPin)?,
            ca_file: store.setting(SettingKey::SignerCaFile)?,
            timeout: store.setting(SettingKey::SigningTimeoutSecs)?,
        })
    }

    /// How NCALayer's certificate is trusted. Without a pin the client is in first-use mode:
    /// it connects and shows the certificate, but sends nothing to sign until the user trusts it.
    pub fn pinning(&self) -> Result<Pinning> {
        match (&self.pin, &self.ca_file) {
            (Some(pin), _) => Pinning::pin_from_hex(pin).map_err(Error::from),
            (None, Some(ca)) => Ok(Pinning::CaFile(PathBuf::from(ca))),
            _ => Ok(Pinning::FirstUse),
        }
    }

    /// A new client (not kept: `Clients::signer` keeps one).
    pub fn client(&self) -> Result<NcaLayer> {
        let mut s = ncalayer::Settings::new(self.pinning()?);
        s.url = self.url.clone();
        if let Some(t) = self.timeout.as_deref().and_then(|t| t.parse().ok()) {
            s.reply_timeout = Duration::from_secs(t);
        }
        NcaLayer::new(s).map_err(Error::from)
    }
}

type Keyed<T> = Mutex<Option<((String, String), T)>>;

#[derive(Default)]
pub struct Clients {
    signer: Mutex<Option<(SignerSettings, Arc<NcaLayer>)>>,
    operator: Keyed<Arc<HttpOperator>>,
    ord: Keyed<HttpOrd>,
}

impl Clients {
    /// The NCALayer client for these settings (the same one while they stay the same).
    pub fn signer(&self, settings: SignerSettings) -> Result<Arc<NcaLayer>> {
        let mut slot = self.signer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, c)) = slot.as_ref() {
            if *k == settings {
                return Ok(c.clone());
            }
        }
        let client = Arc::new(settings.client()?);
        *slot = Some((settings, client.clone()));
        Ok(client)
    }

    /// The operator client of `account` (its token read from the OS keychain the first time).
    pub fn operator(&self, account: &op::Account) -> Result<Arc<HttpOperator>> {
        let key = (account.name.clone(), account.url.clone());
        let mut slot = self.operator.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, c)) = slot.as_ref() {
            if *k == key {
                return Ok(c.clone());
            }
        }
        let token = account.tokens.load(&account.name)?;
        let client = Arc::new(HttpOperator::new(
            &account.url,
            Some(token),
            HttpSettings::default(),
        )?);
        *slot = Some((key, client.clone()));
        Ok(client)
    }

    /// The client of the ORD account (its own URL and token, not the operator's), kept like
    /// the operator's.
    pub fn ord(&self, account: &crate::acts::OrdAccount) -> Result<HttpOrd> {
        let key = ("ord".to_string(), account.url.clone());
        let mut slot = self.ord.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, c)) = slot.as_ref() {
            if *k == key {
                return Ok(c.clone());
            }
        }
        let client = HttpOrd::new(&account.url, op::load_ord_token(&account.installation)?)?;
        *slot = Some((key, client.clone()));
        Ok(client)
    }

    /// Drops the ORD client (its account was added again or removed).
    pub fn forget_ord(&self) {
        *self.ord.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Uses `client` for the account `name` at `url` (tests: a client without the keychain).
    pub fn use_operator(&self, name: &str, url: &str, client: HttpOperator) {
        *self.operator.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(((name.into(), url.into()), Arc::new(client)));
    }

    /// Uses `client` for the ORD account at `url` (tests: no keychain).
    pub fn use_ord(&self, url: &str, client: HttpOrd) {
        *self.ord.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((("ord".into(), url.into()), client));
    }

    /// Forgets the operator account's client (after the account changed); the ORD's is its own.
    pub fn forget_account(&self) {
        *self.operator.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
