//! `/dossiers/{id}/certificate`: the holder's electronic title certificate (电子证书, the same
//! effect as paper), printable on A4 with a QR code to its verification page; and
//! `/certificates/{code}`, public, which says whether a certificate is valid, revoked or unknown.

use leptos::prelude::*;

use crate::components::layout::PageTitle;
use crate::i18n::{use_lang, Lang};
use crate::portal::results::{CertificateData, CertificateView, VerifyCertData};
use crate::portal::{page_data, P};

fn facts(lang: Lang, c: &CertificateView) -> impl IntoView {
    let row = |label: P, value: String| {
        view! {
            <div class="summary-row">
                <dt class="font-semibold">{label.text(lang)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="summary-list">
            {row(P::CertificateHolder, c.holder.clone())}
            {row(P::Unit, c.org.clone())}
            {row(P::CertificateTitle, c.title.get(lang).to_owned())}
            {row(P::CertificateCommittee, c.committee.clone())}
            {row(P::CertificateNumber, c.number.clone())}
            {row(P::CertificateIssued, c.issued_on.clone())}
        </dl>
    }
}

/// `/dossiers/{id}/certificate`
#[component]
pub fn CertificatePage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<CertificateData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let c = data.certificate.clone();
    let path = format!("/certificates/{}", c.code);
    #[cfg(feature = "ssr")]
    let (url, qr) = {
        let url = format!("{}{path}", crate::components::qr::origin());
        let qr = crate::components::qr::qr_svg(&url);
        (url, qr)
    };
    #[cfg(not(feature = "ssr"))]
    let (url, qr) = (path.clone(), String::new());
    view! {
        <PageTitle name=format!("{} · {}", P::CertificateHeading.text(lang), c.holder) />
        <article class="space-y-6 certificate" id="certificate">
            <a href=format!("/dossiers/{}", data.dossier_id) class="back-link no-print">{P::DossierHeading.text(lang)}</a>
            <h1 class="text-2xl font-bold text-center">{P::CertificateHeading.text(lang)}</h1>
            <p class="text-sm">{P::CertificateLead.text(lang)}</p>
            {facts(lang, &c)}
            <div class="flex items-center gap-4">
                <div class="qr" role="img" aria-label=P::CertificateQr.text(lang) inner_html=qr></div>
                <div class="text-sm space-y-1">
                    <p>{P::CertificateCode.text(lang)} "：" <strong id="certificate-code">{c.code.clone()}</strong></p>
                    <p>{P::CertificateVerifyAt.text(lang)} <a class="link break-all" href=path>{url}</a></p>
                </div>
            </div>
        </article>
    }
    .into_any()
}

/// `/certificates/{code}`
#[component]
pub fn VerifyCertificatePage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<VerifyCertData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let (said, class) = match data.status.as_str() {
        "valid" => (P::VerifyCertValid.text(lang).to_owned(), "notice notice-ok"),
        "revoked" => (
            P::VerifyCertRevoked
                .text(lang)
                .replace("{date}", &data.revoked_on),
            "notice notice-warn",
        ),
        _ => (
            P::VerifyCertUnknown.text(lang).to_owned(),
            "notice notice-warn",
        ),
    };
    view! {
        <PageTitle name=P::VerifyCertHeading.text(lang) />
        <div class="space-y-6">
            <h1 class="text-2xl font-bold">{P::VerifyCertHeading.text(lang)}</h1>
            <p class=class role="status" id="verify-status" data-status=data.status.clone()>{said}</p>
            {data.certificate.as_ref().map(|c| facts(lang, c))}
        </div>
    }
    .into_any()
}
