//! Board pages under concurrency, on a multi-threaded runtime. A test binary of its own: run
//! beside other tests' runtimes in one process, a page of this runtime sometimes waited forever
//! (6 runs in 20; all threads idle, so a wake-up went to another runtime through something
//! process-wide in the rendering stack, not found yet). Never with one test at a time, and never
//! in 1,500 concurrent page loads against the server binary, which has one runtime.

mod common;

use std::time::Duration;

use common::spawn_app;

/// Pages are rendered on whichever worker thread is free: nothing in a page may be tied to one
/// thread (a browser-only value created during server rendering once panicked here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_pages_render_on_any_worker_thread() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let url = app.url(&format!("/b/{board}?key={}", app.key(&board, "edit")));
    let pages: Vec<_> = (0..100)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move {
                // A page that never comes is a failure, not a stalled test run.
                let page = client.get(url).timeout(Duration::from_secs(20)).send();
                page.await.map(|r| r.status().as_u16())
            })
        })
        .collect();
    for page in pages {
        assert_eq!(
            page.await
                .unwrap()
                .expect("an answer, not a dropped connection"),
            200
        );
    }
}
