//! `/dossiers/{id}/certificate`: the holder's electronic title certificate (电子证书, the same
//! effect as paper), printable on A4 with a QR code to its verification page; and
//! `/certificates/{code}`, public, which says whether a certificate is valid, revoked or unknown;
//! the provincial administrator's list of the region's certificates (`/admin/certificates`) and
//! one certificate with the revocation for fraud (`/admin/certificates/{id}`); and the notice of
//! a bar on applying that a revocation leaves (on the self-check, `/apply` and the dossier).

use leptos::prelude::*;

use crate::components::form::{
    error_summary, input, notice, problem_for, textarea, tick, FieldSpec,
};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::portal::results::{
    AdminCertData, AdminCertRow, AdminCertsData, BarView, CertificateData, CertificateView,
    VerifyCertData,
};
use crate::portal::{page_data, P};

/// The notice of a bar on applying for a title: why, and the day the person may apply again.
pub fn bar_notice(lang: Lang, bar: &BarView) -> AnyView {
    let text = P::BarNotice
        .text(lang)
        .replace("{number}", &bar.certificate_number)
        .replace("{starts}", &bar.starts_on)
        .replace("{until}", &bar.until);
    let reason = (!bar.reason.is_empty()).then(|| {
        format!(
            "{}{}{}",
            P::RevokedReason.text(lang),
            crate::portal::colon(lang),
            bar.reason
        )
    });
    view! {
        <section class="notice notice-warn" id="bar-notice" aria-labelledby="bar-heading" data-until=bar.until.clone()>
            <h2 id="bar-heading" class="font-semibold">{P::BarHeading.text(lang)}</h2>
            <p>{text}</p>
            {reason.map(|r| view! { <p class="text-sm">{r}</p> })}
        </section>
    }
    .into_any()
}

fn status_text(lang: Lang, status: &str) -> &'static str {
    if status == "revoked" {
        P::CertStatusRevoked.text(lang)
    } else {
        P::CertStatusValid.text(lang)
    }
}

/// `/admin/certificates`
#[component]
pub fn AdminCertificatesPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<AdminCertsData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let body = if data.rows.is_empty() {
        view! { <p id="certificates-none">{P::CertificatesNone.text(lang)}</p> }.into_any()
    } else {
        let rows = data
            .rows
            .iter()
            .map(|r: &AdminCertRow| {
                view! {
                    <tr class="border-t border-slate-200" data-certificate=r.id.to_string() data-status=r.status.clone()>
                        <td class="p-2" data-label=P::CertificateNumber.text(lang)>{r.number.clone()}</td>
                        <td class="p-2" data-label=P::CertificateHolder.text(lang)>{r.holder.clone()}</td>
                        <td class="p-2" data-label=P::CertificateTitle.text(lang)>{r.title.get(lang).to_owned()}</td>
                        <td class="p-2" data-label=P::CertificateIssued.text(lang)>{r.issued_on.clone()}</td>
                        <td class="p-2" data-label=P::CertificateStatus.text(lang)>{status_text(lang, &r.status)}</td>
                        <td class="p-2">
                            <a class="link" href=format!("/admin/certificates/{}", r.id) aria-label=format!("{} {}", P::CertificateOpen.text(lang), r.number)>
                                {P::CertificateOpen.text(lang)}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let heads = [
            P::CertificateNumber,
            P::CertificateHolder,
            P::CertificateTitle,
            P::CertificateIssued,
            P::CertificateStatus,
            P::Actions,
        ];
        data_table(lang, "certificates", &heads, rows.into_any())
    };
    let search = FieldSpec {
        name: "q",
        label: P::CertificatesSearch.text(lang).to_owned(),
        value: data.query.clone(),
        hint: None,
        problem: None,
    };
    view! {
        <PageTitle name=P::CertificatesHeading.text(lang) />
        <div class="space-y-6">
            <a href="/admin/results" class="back-link">{P::ConfirmHeading.text(lang)}</a>
            <h1 class="text-2xl font-bold">{P::CertificatesHeading.text(lang)}</h1>
            <p class="text-sm">{P::CertificatesLead.text(lang)}</p>
            <form method="get" action="/admin/certificates" class="flex flex-wrap items-end gap-3" role="search">
                {input(search, "search", "off")}
                <button type="submit" class="button-secondary">{P::Filter.text(lang)}</button>
            </form>
            {body}
        </div>
    }
    .into_any()
}

/// `/admin/certificates/{id}`
#[component]
pub fn AdminCertificatePage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<AdminCertData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let c = &data.certificate;
    let row = |label: P, value: String| crate::components::table::summary_row(lang, label, value);
    let revoked = (data.status == "revoked").then(|| {
        view! {
            <h2 class="text-xl font-semibold">{P::RevocationHeading.text(lang)}</h2>
            <dl class="summary-list" id="revocation">
                {row(P::CertificateStatus, status_text(lang, &data.status).to_owned())}
                {row(P::RevokedOn, data.revoked_on.clone())}
                {row(P::RevokedReason, data.revoked_reason.clone())}
                {row(P::BarredUntil, data.barred_until.clone())}
            </dl>
        }
    });
    let form = (data.status != "revoked").then(|| {
        let lead = P::RevokeLead
            .text(lang)
            .replace("{years}", &data.years.to_string());
        let reason = FieldSpec {
            name: "reason",
            label: P::RevokeReason.text(lang).to_owned(),
            value: data.reason.clone(),
            hint: Some(P::RevokeReasonHint.text(lang).to_owned()),
            problem: problem_for(lang, &problems, "reason"),
        };
        view! {
            <section aria-labelledby="revoke-heading" class="space-y-3">
                <h2 id="revoke-heading" class="text-xl font-semibold">{P::RevokeHeading.text(lang)}</h2>
                <p class="text-sm">{lead}</p>
                <form method="post" action=format!("/admin/certificates/{}/revoke", data.id) class="space-y-4" novalidate>
                    {textarea(reason, 4)}
                    {tick("confirm", P::RevokeConfirm.text(lang).to_owned(), false, problem_for(lang, &problems, "confirm"))}
                    <button type="submit" class="button-danger">{P::RevokeButton.text(lang)}</button>
                </form>
            </section>
        }
    });
    view! {
        <PageTitle name=format!("{} · {}", P::CertificatesHeading.text(lang), c.number) errors=!problems.is_empty() />
        <div class="space-y-6">
            <a href="/admin/certificates" class="back-link">{P::CertificatesHeading.text(lang)}</a>
            <h1 class="text-2xl font-bold">{format!("{} · {}", c.holder, c.number)}</h1>
            {notice(lang, data.notice.clone())}
            {error_summary(lang, &problems)}
            {facts(lang, c)}
            <p class="text-sm"><a class="link" href=format!("/certificates/{}", c.code)>{P::CertificateVerifyAt.text(lang)} {format!("/certificates/{}", c.code)}</a></p>
            {revoked}
            {form}
        </div>
    }
    .into_any()
}

fn facts(lang: Lang, c: &CertificateView) -> impl IntoView {
    let row = |label: P, value: String| crate::components::table::summary_row(lang, label, value);
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
            {data.revoked_on.as_ref().map(|day| view! {
                <p class="notice notice-warn" role="status" id="certificate-revoked">{P::VerifyCertRevoked.text(lang).replace("{date}", day)}</p>
            })}
            <p class="text-sm">{P::CertificateLead.text(lang)}</p>
            {facts(lang, &c)}
            <div class="flex items-center gap-4">
                <div class="qr" role="img" aria-label=P::CertificateQr.text(lang) inner_html=qr></div>
                <div class="text-sm space-y-1">
                    <p>{P::CertificateCode.text(lang)} {crate::portal::colon(lang)} <strong id="certificate-code">{c.code.clone()}</strong></p>
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
