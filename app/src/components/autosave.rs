//! The dossier draft's autosave, an island (the only script on the dossier page). Every change
//! is kept at once in this browser (localStorage), so a reload or a dropped connection loses
//! nothing, and sent to the server a moment after typing stops, with the version the page was
//! loaded with: the server answers the new version, or a conflict when someone else saved first.
//! Without JavaScript the form's own Save button does the same.

use leptos::prelude::*;

use crate::i18n::{t, use_lang, Msg};

/// Id of the dossier form the island follows.
pub const DOSSIER_FORM_ID: &str = "dossier-form";

/// The autosave's status line (announced politely).
#[island]
pub fn DraftAutosave(dossier: i64) -> impl IntoView {
    let lang = use_lang();
    let status = RwSignal::new(None::<Msg>);
    // Marks the page once the autosave follows the form (tests wait for it).
    let on = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        client::start(dossier, status);
        on.set(true);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = dossier;
    view! {
        <p
            role="status"
            aria-live="polite"
            class="text-sm text-slate-600"
            id="autosave-status"
            data-autosave=move || on.get().then_some("on")
        >
            {move || status.get().map(|m| t(lang, m))}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    use super::DOSSIER_FORM_ID;
    use crate::i18n::Msg;

    /// How long typing must pause before a save is sent.
    const PAUSE: Duration = Duration::from_millis(1500);

    fn form() -> Option<web_sys::HtmlFormElement> {
        document()
            .get_element_by_id(DOSSIER_FORM_ID)?
            .dyn_into()
            .ok()
    }

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    fn key(dossier: i64) -> String {
        format!("guantong.dossier.{dossier}")
    }

    /// The form's text fields (never the file) as pairs.
    fn pairs(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
        let Ok(data) = web_sys::FormData::new_with_form(form) else {
            return Vec::new();
        };
        data.delete("file");
        let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
            return Vec::new();
        };
        crate::check::parse_query(&String::from(params.to_string()))
    }

    fn field(form: &web_sys::HtmlFormElement, name: &str) -> Option<web_sys::Element> {
        form.query_selector(&format!("[name=\"{name}\"]"))
            .ok()
            .flatten()
    }

    fn set_value(el: &web_sys::Element, value: &str) {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if i.type_() != "file" && i.type_() != "hidden" {
                i.set_value(value);
            }
        } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            t.set_value(value);
        } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            s.set_value(value);
        }
    }

    fn version(form: &web_sys::HtmlFormElement) -> String {
        field(form, "version")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    }

    /// Puts back what this browser kept for the version the page shows (a reload, or a save
    /// that never reached the server).
    fn restore(dossier: i64, form: &web_sys::HtmlFormElement) -> bool {
        let Some(saved) = storage().and_then(|s| s.get_item(&key(dossier)).ok().flatten()) else {
            return false;
        };
        let kept = crate::check::parse_query(&saved);
        if crate::check::get(&kept, "version") != Some(version(form).as_str()) {
            return false;
        }
        let mut changed = false;
        for (name, value) in kept.iter().filter(|(k, _)| k != "version") {
            if let Some(el) = field(form, name) {
                set_value(&el, value);
                changed = true;
            }
        }
        changed
    }

    fn keep(dossier: i64, form: &web_sys::HtmlFormElement) {
        if let Some(s) = storage() {
            let _ = s.set_item(&key(dossier), &crate::check::to_query(&pairs(form)));
        }
    }

    async fn send(dossier: i64, form: web_sys::HtmlFormElement) -> Msg {
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return Msg::AutosaveLocal;
        };
        data.delete("file");
        let _ = data.set_with_str("nav", "autosave");
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&data);
        let Ok(request) =
            web_sys::Request::new_with_str_and_init(&format!("/dossiers/{dossier}"), &init)
        else {
            return Msg::AutosaveLocal;
        };
        let Ok(response) =
            wasm_bindgen_futures::JsFuture::from(window().fetch_with_request(&request)).await
        else {
            return Msg::AutosaveLocal;
        };
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return Msg::AutosaveLocal;
        };
        let status = response.status();
        let text = match response.text() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        match (status, body["version"].as_i64()) {
            (200, Some(v)) => {
                if let Some(input) = field(&form, "version")
                    .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_value(&v.to_string());
                }
                if let Some(s) = storage() {
                    let _ = s.remove_item(&key(dossier));
                }
                Msg::AutosaveSaved
            }
            (409, _) => Msg::AutosaveConflict,
            _ => Msg::AutosaveLocal,
        }
    }

    pub fn start(dossier: i64, status: RwSignal<Option<Msg>>) {
        let Some(page_form) = form() else { return };
        if restore(dossier, &page_form) {
            status.set(Some(Msg::AutosaveRestored));
            // What was restored has not reached the server yet: send it now.
            leptos::task::spawn_local(async move {
                let outcome = send(dossier, page_form).await;
                if outcome != Msg::AutosaveSaved {
                    status.set(Some(outcome));
                }
            });
        }
        // Each change bumps the generation; a save goes out only if no newer change came
        // during the pause.
        let generation = Rc::new(Cell::new(0u64));
        let on_change = move |ev: web_sys::Event| {
            let Some(form) = form() else { return };
            let inside = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|node| form.contains(Some(&node)));
            let is_file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.type_() == "file");
            if !inside || is_file {
                return;
            }
            keep(dossier, &form);
            let mine = generation.get() + 1;
            generation.set(mine);
            let generation = generation.clone();
            set_timeout(
                move || {
                    if generation.get() == mine {
                        leptos::task::spawn_local(async move {
                            status.set(Some(send(dossier, form).await));
                        });
                    }
                },
                PAUSE,
            );
        };
        let _ = window_event_listener_untyped("input", on_change.clone());
        let _ = window_event_listener_untyped("change", on_change);
    }
}
