//! Signing many documents with few PIN prompts: one basics request per chunk, results mapped back
//! by position. The next chunk's request is encoded while the current one is in flight (at most
//! one ahead; NCALayer still gets one request at a time).

use super::client::{same_count, NcaLayer};
use super::failure::Failure;
use super::reply;
use super::request::{self, SignOptions};

/// A basics `sign` request of detached CMS, encoded ahead of its turn: its text and how many
/// documents it carries (the reply must match them one to one).
pub struct Prepared {
    text: String,
    count: usize,
}

impl Prepared {
    /// `docs` as one request (one PIN prompt), detached CMS of each.
    pub fn detached_cms(docs: &[&[u8]], options: &SignOptions) -> Prepared {
        Prepared {
            text: request::sign_cms(docs, true, false, options),
            count: docs.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl NcaLayer {
    /// Sends a prepared request; CMS (DER) of each document, in order. `meanwhile` runs once
    /// the request is sent, while NCALayer signs (the next chunk is read and encoded then); it
    /// does not run when the request could not be sent.
    pub async fn sign_prepared<T>(
        &self,
        request: Prepared,
        meanwhile: impl FnOnce() -> T,
    ) -> (Result<Vec<Vec<u8>>, Failure>, Option<T>) {
        if request.count == 0 {
            return (Ok(vec![]), Some(meanwhile()));
        }
        let count = request.count;
        let (reply, done) = self.call_overlapped(request.text, meanwhile).await;
        let signed = reply
            .and_then(reply::strings)
            .and_then(|items| same_count(items, count))
            .and_then(|items| items.iter().map(|s| reply::cms_to_der(s)).collect());
        (signed, done)
    }

    /// Detached CMS (DER) for each document, in input order. Each chunk is one request (one PIN
    /// prompt), chunk n+1 encoded while chunk n is in flight. A chunk whose reply does not match
    /// it one to one yields no signature at all. After the first failed chunk (cancel, timeout,
    /// refusal) nothing more is sent: the remaining documents carry that same failure, so the
    /// user is never asked again for a batch they cancelled.
    pub async fn sign_batch(
        &self,
        docs: &[&[u8]],
        chunk_size: usize,
        options: &SignOptions,
    ) -> Vec<Result<Vec<u8>, Failure>> {
        let chunks: Vec<&[&[u8]]> = docs.chunks(chunk_size.max(1)).collect();
        let mut out: Vec<Result<Vec<u8>, Failure>> = Vec::with_capacity(docs.len());
        let mut next = chunks.first().map(|c| Prepared::detached_cms(c, options));
        let mut following = chunks.iter().skip(1);
        while let Some(request) = next.take() {
            let ahead = following.next();
            let (signed, prepared) = self
                .sign_prepared(request, || {
                    ahead.map(|c| Prepared::detached_cms(c, options))
                })
                .await;
            match signed {
                Ok(signed) => out.extend(signed.into_iter().map(Ok)),
                Err(f) => {
                    let rest = docs.len() - out.len();
                    out.extend(std::iter::repeat_n(Err(f), rest));
                    break;
                }
            }
            next = prepared.flatten();
        }
        out
    }
}
