//! Content Security Policy. Pages get a per-request nonce so only the hydration scripts Leptos
//! writes (and the app's own wasm) run; everything else gets a policy that allows nothing.

/// The policy for a rendered page, allowing scripts carrying `nonce` and the site's own wasm.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for every response that is not a page (JSON, files): nothing may run or frame it.
pub const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// On the server: creates this request's nonce, provides it to Leptos (so `HydrationScripts`
/// carries it) and sets the page's CSP header.
#[cfg(feature = "ssr")]
pub fn provide_page_policy() {
    use leptos::nonce::{provide_nonce, use_nonce};
    use leptos::prelude::use_context;

    provide_nonce();
    let Some(nonce) = use_nonce() else { return };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce.to_string())) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_nonced_scripts_and_own_wasm() {
        let p = page_policy("abc");
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
    }
}
