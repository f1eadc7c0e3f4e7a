//! Signing many documents with few PIN prompts: one basics request per chunk, results mapped back
//! by position.

use super::client::NcaLayer;
use super::failure::Failure;
use super::request::SignOptions;

impl NcaLayer {
    /// Detached CMS (DER) for each document, in input order. Each chunk is one request (one PIN
    /// prompt). A chunk whose reply does not match it one to one yields no signature at all. After
    /// the first failed chunk (cancel, timeout, refusal) nothing more is sent: the remaining
    /// documents carry that same failure, so the user is never asked again for a batch they
    /// cancelled.
    pub async fn sign_batch(
        &self,
        docs: &[&[u8]],
        chunk_size: usize,
        options: &SignOptions,
    ) -> Vec<Result<Vec<u8>, Failure>> {
        let mut out: Vec<Result<Vec<u8>, Failure>> = Vec::with_capacity(docs.len());
        for chunk in docs.chunks(chunk_size.max(1)) {
            if let Some(Err(stop)) = out.last() {
                let stop = stop.clone();
                out.extend(chunk.iter().map(|_| Err(stop.clone())));
                continue;
            }
            match self.sign_cms_many(chunk, false, options).await {
                Ok(signed) => out.extend(signed.into_iter().map(Ok)),
                Err(f) => out.extend(chunk.iter().map(|_| Err(f.clone()))),
            }
        }
        out
    }
}
