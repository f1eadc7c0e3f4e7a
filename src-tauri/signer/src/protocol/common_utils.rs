//! Module kz.gov.pki.knca.commonUtils: positional arguments, replies
//! `{"code":"200","responseObject":...}` or `{"code":"500","message":...}`.

use std::sync::Arc;

use base64::Engine;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::args::{self, positional};
use super::Session;
use crate::confirm::question;
use crate::keyinfo::KeyInfo;
use crate::keyset::{describe, Entry, KeyType, SignerFilter, Storage};
use crate::{cms, xmldsig};

type Reply = Result<Option<Value>, String>;

pub async fn answer(session: &mut Session, method: &str, args: Option<&RawValue>) -> Value {
    let reply = match method {
        "getActiveTokens" => positional(method, args, 0).map(|_| Some(json!([]))),
        "getKeyInfo" => key_info(session, method, args).await,
        "createCAdESFromBase64" | "createCMSSignatureFromBase64" => {
            cades(session, method, args).await
        }
        "createCAdESFromBase64Hash" => cades_hash(session, method, args).await,
        "signXml" => sign_xml(session, method, args).await,
        "signXmls" => sign_xmls(session, method, args).await,
        "changeLocale" => change_locale(session, method, args),
        other => Err(format!("NoSuchMethodException {other}")),
    };
    match reply {
        Ok(Some(object)) => json!({"code": "200", "responseObject": object}),
        // Null fields are left out, as NCALayer's serialiser does.
        Ok(None) => json!({"code": "200"}),
        Err(message) => json!({"code": "500", "message": message}),
    }
}

/// The key for `storage` and `key_type`, after the user approved `what` of these `items`.
async fn approved_key(
    session: &Session,
    storage: &str,
    key_type: &str,
    what: &str,
    items: &[&[u8]],
) -> Result<Arc<Entry>, String> {
    match Storage::parse(storage) {
        Storage::Files => {}
        Storage::Absent => return Err("storage.empty".into()),
        Storage::Unknown => return Err("storage.unknown".into()),
    }
    let key_type = KeyType::parse(key_type);
    let entry = session
        .keys
        .choose(key_type, &SignerFilter::default())
        .ok_or_else(|| format!("key.not_found: no {key_type:?} key in the loaded keystores"))?;
    let asked = || question(&session.caller, what, items, &describe(&entry.profile));
    if session.confirm.approve(asked).await {
        Ok(entry)
    } else {
        Err("action.canceled".into())
    }
}

async fn key_info(session: &Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 1)?;
    let storage = &*args::string(method, a[0])?;
    let entry = approved_key(session, storage, "ALL", "show key information", &[]).await?;
    let info = KeyInfo::of(&entry.keystore, &entry.profile);
    Ok(Some(serde_json::to_value(info).map_err(|e| e.to_string())?))
}

async fn cades(session: &Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 4)?;
    let storage = &*args::string(method, a[0])?;
    let key_type = &*args::string(method, a[1])?;
    let data = args::base64(&args::string(method, a[2])?)?;
    let attach = args::boolean(method, a[3])?;
    let entry = approved_key(
        session,
        storage,
        key_type,
        "sign a document (CMS)",
        &[&data],
    )
    .await?;
    let der = blocking(move || cms::sign(&entry.keystore, &data, !attach)).await?;
    session.keys.count_signed(1);
    Ok(Some(json!(b64(&der))))
}

async fn cades_hash(session: &Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 3)?;
    let storage = &*args::string(method, a[0])?;
    let key_type = &*args::string(method, a[1])?;
    let hash = args::base64(&args::string(method, a[2])?)?;
    let entry = approved_key(
        session,
        storage,
        key_type,
        "sign a given hash (CMS)",
        &[&hash],
    )
    .await?;
    let der = blocking(move || cms::sign_digest(&entry.keystore, &hash)).await?;
    session.keys.count_signed(1);
    Ok(Some(json!(b64(&der))))
}

async fn sign_xml(session: &Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 5)?;
    let storage = &*args::string(method, a[0])?;
    let key_type = &*args::string(method, a[1])?;
    let xml = args::string(method, a[2])?.into_owned();
    whole_document_only(method, a[3], a[4])?;
    let entry = approved_key(
        session,
        storage,
        key_type,
        "sign an XML document",
        &[xml.as_bytes()],
    )
    .await?;
    let signed = blocking(move || xmldsig::sign_enveloped(&entry.keystore, &xml)).await?;
    session.keys.count_signed(1);
    Ok(Some(json!(signed)))
}

async fn sign_xmls(session: &Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 5)?;
    let storage = &*args::string(method, a[0])?;
    let key_type = &*args::string(method, a[1])?;
    let xmls: Vec<String> = args::strings(method, a[2])?
        .into_iter()
        .map(|x| x.into_owned())
        .collect();
    whole_document_only(method, a[3], a[4])?;
    let items: Vec<&[u8]> = xmls.iter().map(|x| x.as_bytes()).collect();
    let entry = approved_key(session, storage, key_type, "sign XML documents", &items).await?;
    let signed = blocking(move || {
        xmls.iter()
            .map(|x| xmldsig::sign_enveloped(&entry.keystore, x))
            .collect::<crate::Result<Vec<_>>>()
    })
    .await?;
    session.keys.count_signed(signed.len());
    Ok(Some(json!(signed)))
}

/// Only "" "" (the whole document, enveloped) is supported; XPath selection is not.
fn whole_document_only(method: &str, tbs: &RawValue, parent: &RawValue) -> Result<(), String> {
    let tbs = args::string(method, tbs)?;
    let parent = args::string(method, parent)?;
    if tbs.is_empty() && parent.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "qoltanba-signer signs whole documents only: tbsElementXPath and \
             signatureParentElementXPath must be empty (got {tbs:?}, {parent:?})"
        ))
    }
}

fn change_locale(session: &mut Session, method: &str, args: Option<&RawValue>) -> Reply {
    let a = positional(method, args, 1)?;
    session.locale = args::string(method, a[0])?.into_owned();
    Ok(None)
}

fn b64(der: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// Signing is CPU work: keep it off the connection's async task.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> crate::Result<T> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(format!("signing task failed: {e}")),
    }
}
