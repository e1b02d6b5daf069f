//! A printed page's link back to the site: the site's origin as the request reached it, and a
//! QR code of a link as inline SVG (server only: the encoder never reaches the wasm).

#[cfg(feature = "ssr")]
use leptos::prelude::use_context;

/// The site's origin as the request reached us (for the printed link).
#[cfg(feature = "ssr")]
pub fn origin() -> String {
    let parts = use_context::<http::request::Parts>();
    let header = |name: &str| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let host = header("host").unwrap_or_else(|| "localhost".into());
    let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
    format!("{scheme}://{host}")
}

/// The verification QR code as inline SVG (server only: the encoder never reaches the wasm).
#[cfg(feature = "ssr")]
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<svg::Color>()
                .min_dimensions(180, 180)
                .quiet_zone(true)
                .build();
            // Inline in HTML the XML declaration is noise.
            match svg.find("<svg") {
                Some(i) => svg[i..].to_owned(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}
