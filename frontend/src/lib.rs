//! The browser entry point: hydrates the page's islands (its interactive parts) and nothing else.

// The islands are defined in `app`; naming the crate links it, so their hydration functions are
// exported from the wasm for the island script to call.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
