//! The shell: health, pages, language, 404, security headers, static assets.

use store::testing::Backend;

use crate::helpers::spawn_app;
use crate::on_both_backends;

async fn health_reports_version_and_database(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["database"]["reachable"], true);
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(body["database"]["backend"], expected);
}
on_both_backends!(health, health_reports_version_and_database);

async fn home_page_is_chinese_by_default_with_security_headers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    assert!(headers.contains_key("x-request-id"));
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#), "{html}");
    assert!(html.contains("开始自测"));
    // Every inline script carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap();
    let scripts = html.matches("<script").count();
    let nonced = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && nonced >= scripts,
        "{scripts} scripts, {nonced} with the nonce"
    );
}
on_both_backends!(home, home_page_is_chinese_by_default_with_security_headers);

async fn language_switch_sets_cookie_and_redirects_only_within_site(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/lang/en?back=%2Fcheck%3Fstep%3D2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/check?step=2");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let away = app
        .client
        .get(app.url("/lang/en?back=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(away.headers()["location"], "/");
    let unknown = app.client.get(app.url("/lang/fr")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);

    let english = app
        .client
        .get(app.url("/"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap();
    let html = english.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Start the self-check"));
}
on_both_backends!(
    language,
    language_switch_sets_cookie_and_redirects_only_within_site
);

/// The switch on a page whose address has a query string comes back to that same address.
async fn language_switch_keeps_the_query(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let html = app
        .client
        .get(app.url("/check?step=3&region=53"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = html.find("/lang/en?back=").expect("the switch link");
    let href: String = html[at..].chars().take_while(|c| *c != '"').collect();
    assert!(
        href.contains("back=%2Fcheck%3Fstep%3D3%26region%3D53"),
        "{href}"
    );
    let r = app
        .client
        .get(app.url(&href.replace("&amp;", "&")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/check?step=3&region=53");
}
on_both_backends!(language_query, language_switch_keeps_the_query);

async fn unknown_page_is_404_with_the_shell(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("找不到这个页面"));
    assert!(html.contains("<header"));
}
on_both_backends!(not_found, unknown_page_is_404_with_the_shell);

async fn hashed_assets_are_precompressed_and_cached_for_a_year(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/pkg/guantong.0123abcd.css"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(app.site_root.exists());
    let missing = app
        .client
        .get(app.url("/pkg/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
on_both_backends!(
    assets,
    hashed_assets_are_precompressed_and_cached_for_a_year
);

async fn html_and_json_are_compressed_when_asked(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    // Small bodies may be left alone by the compressor; large ones must not be.
    assert!(response.status().is_success());
}
on_both_backends!(compression, html_and_json_are_compressed_when_asked);

/// `/metrics` is served only to the bearer of the configured token, and counts what happened.
async fn metrics_are_for_the_operator_only(backend: Backend) {
    let Some(app) =
        crate::helpers::spawn_app_with(backend, |c| c.metrics_token = Some("s3cret-token".into()))
            .await
    else {
        return;
    };
    let _ = app.client.get(app.url("/healthz")).send().await.unwrap();
    let _ = app
        .client
        .post(app.url("/api/v1/eligibility"))
        .json(&serde_json::json!({"person": {}}))
        .send()
        .await
        .unwrap();
    let _ = app
        .client
        .get(app.url("/dossiers/424242"))
        .send()
        .await
        .unwrap();
    for auth in [None, Some("Bearer wrong"), Some("s3cret-token")] {
        let mut r = app.client.get(app.url("/metrics"));
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        assert_eq!(r.send().await.unwrap().status(), 404, "{auth:?}");
    }
    // The start-up run of the background tasks (it takes their lease first, two writes) may
    // end after the requests above: wait for it, a few seconds at most.
    let mut text = String::new();
    for _ in 0..50 {
        let r = app
            .client
            .get(app.url("/metrics"))
            .header("authorization", "Bearer s3cret-token")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("openmetrics-text"));
        text = r.text().await.unwrap();
        if text.contains("guantong_background_runs_total{") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for expected in [
        "guantong_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1",
        "guantong_http_requests_total{route=\"/api/v1/eligibility\",method=\"POST\",status=\"200\"} 1",
        // Route templates, never raw paths.
        "route=\"/dossiers/{id}\"",
        "guantong_http_request_duration_seconds_bucket",
        "guantong_evaluations_total{kind=\"single\"} 1",
        "guantong_db_pool_connections",
        "guantong_background_runs_total{job=\"publicity\",outcome=\"ok\"}",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(!text.contains("424242"));

    // Without a token configured, there is no such page.
    let Some(plain) = spawn_app(backend).await else {
        return;
    };
    let r = plain
        .client
        .get(plain.url("/metrics"))
        .header("authorization", "Bearer s3cret-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
on_both_backends!(metrics, metrics_are_for_the_operator_only);
