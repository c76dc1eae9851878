//! Squall's own deployment files (docs/operations.md, "Deployment" and "Observability"), checked
//! by the ecosystems' validators: the Kubernetes manifests against the Kubernetes schemas, the
//! Dockerfile with hadolint, the Grafana dashboard with Grafana's schema and Prometheus' PromQL
//! parser against what a running server exposes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::ws::WsClient;
use serde_json::json;

fn root() -> PathBuf {
    common::workspace_root()
}

fn tool(path: &str) -> PathBuf {
    let tool = root().join(path);
    assert!(
        tool.exists(),
        "{} is missing: run `make validators` (part of `make test`)",
        tool.display()
    );
    tool
}

fn run(program: &Path, args: &[&str], dir: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} refuses:\n{}\n{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_kubernetes_manifests_pass_the_kubernetes_schemas() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("deploy/k8s"))
        .unwrap()
        .map(|e| format!("deploy/k8s/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "deploy/k8s/deployment.yaml",
            "deploy/k8s/hpa.yaml",
            "deploy/k8s/ingress.yaml",
            "deploy/k8s/pdb.yaml",
            "deploy/k8s/service.yaml",
        ]
    );
    let mut args = vec!["--strict", "--quiet", "deploy/examples/secret.yaml"];
    args.extend(files.iter().map(String::as_str));
    run(&tool(".venv/bin/kubernetes-validate"), &args, &root());
}

#[test]
fn the_dockerfile_passes_hadolint() {
    run(
        &tool(".venv/bin/hadolint"),
        &["--failure-threshold", "warning", "Dockerfile"],
        &root(),
    );
}

/// Every family in `/metrics` has samples once a server has seen the traffic a session makes;
/// the dashboard's queries read only those.
#[tokio::test]
async fn the_grafana_dashboard_passes_grafanas_schema_and_reads_only_exposed_metrics() {
    let app = common::spawn_app().await;
    let board = app.create_board("Order flow").await;
    let id = app::model::new_id();
    let op = json!({ "type": "create_element", "element": { "id": id, "kind": "domain_event",
        "label": "Order placed", "x": 0, "y": 0, "width": 120, "height": 120 } });
    let (status, _) = app
        .post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .post(
            &format!("/api/boards/{board}/ops"),
            json!({ "ops": [{ "type": "delete_element", "id": app::model::new_id() }] }),
        )
        .await;
    assert_eq!(status, 422);
    let (ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (status, _) = app
        .get(&format!(
            "/api/boards/{board}/export/preview?target=rust-axum"
        ))
        .await;
    assert_eq!(status, 200);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    ada.close().await;

    let dir = tempfile::tempdir().unwrap();
    let exposed = dir.path().join("metrics.txt");
    std::fs::write(&exposed, metrics).unwrap();
    let dashboard = root().join("deploy/grafana/squall.json");
    let said = run(
        Path::new("go"),
        &[
            "run",
            ".",
            dashboard.to_str().unwrap(),
            exposed.to_str().unwrap(),
        ],
        &root().join("scripts/dashboard-check"),
    );
    assert_eq!(
        said.trim(),
        "10 panels, 14 queries: valid, and every metric they read is exposed"
    );
}
