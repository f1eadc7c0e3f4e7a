//! Work spread over every core, off the connection's async task: a batch under one approval
//! should not mean one core, and base64 of tens of megabytes must not stall the socket.

/// `work` over every item, on all cores (in contiguous parts, the first on the pool's own
/// thread); results in input order. Runs on tokio's blocking pool, so the items and the work
/// are owned.
pub(super) async fn each_in_order<T, R, F>(items: Vec<T>, work: F) -> Result<Vec<R>, String>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(&T) -> R + Send + Sync + 'static,
{
    let done = tokio::task::spawn_blocking(move || {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per = items.len().div_ceil(workers).max(1);
        let mut parts = items.chunks(per);
        let first = parts.next().unwrap_or_default();
        std::thread::scope(|scope| {
            let others: Vec<_> = parts
                .map(|part| scope.spawn(|| part.iter().map(&work).collect::<Vec<R>>()))
                .collect();
            let mut out: Vec<R> = first.iter().map(&work).collect();
            out.reserve(items.len() - out.len());
            for part in others {
                out.extend(
                    part.join()
                        .map_err(|_| "a worker thread panicked".to_string())?,
                );
            }
            Ok(out)
        })
    })
    .await;
    match done {
        Ok(result) => result,
        Err(e) => Err(format!("signing task failed: {e}")),
    }
}
