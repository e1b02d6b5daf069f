//! What the result pages are given: the public list of results in publicity and the objection
//! form, the office's part of a session after the signature, and the administrator's list of
//! results to confirm.

use super::{Bi, FieldProblem, Notice};

/// One result in publicity, as the public sees it (never an ID number).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicityRow {
    pub dossier_id: i64,
    pub session: String,
    pub committee: String,
    pub name: String,
    pub org: String,
    pub title: Bi,
    pub ends_on: String,
}

/// `/publicity`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicityData {
    pub rows: Vec<PublicityRow>,
    pub notice: Option<Notice>,
}

/// `/publicity/{dossier}`: the objection form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectionData {
    pub row: PublicityRow,
    pub reason: String,
    pub contact: String,
    pub problems: Vec<FieldProblem>,
}

/// An objection as the office sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectionRow {
    pub id: i64,
    pub applicant: String,
    pub reason: String,
    pub contact: String,
    pub lodged_on: String,
    /// `open`, `dismissed`, `suspended` or `revoked`.
    pub status: String,
    pub finding: String,
}

/// The office's part of a session once the count is signed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultsSection {
    pub sealed: bool,
    /// Passed results not publicised yet.
    pub to_publicise: usize,
    pub days: u32,
    pub objections: Vec<ObjectionRow>,
    /// Held results: (dossier id, applicant)
    pub held: Vec<(i64, String)>,
    /// Requests for a review waiting: (dossier id, applicant, reason, lodged on)
    pub appeals: Vec<(i64, String, String, String)>,
}

/// One session with results to confirm.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfirmRow {
    pub session_id: i64,
    pub session: String,
    pub committee: String,
    pub self_review: bool,
    pub publicity: usize,
    pub held: usize,
}

/// `/admin/results`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfirmData {
    pub sessions: Vec<ConfirmRow>,
    /// After a confirmation: the results that wait, each in words.
    pub waiting: Vec<Bi>,
    pub notice: Option<Notice>,
}

/// What a certificate says, on the holder's printable page and the public verification page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateView {
    pub holder: String,
    pub org: String,
    pub title: Bi,
    pub committee: String,
    pub number: String,
    pub issued_on: String,
    pub code: String,
}

/// `/dossiers/{id}/certificate`: the holder's printable certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateData {
    pub dossier_id: i64,
    pub certificate: CertificateView,
    /// The day it was revoked, if it was (the page then says it is no longer valid).
    pub revoked_on: Option<String>,
}

/// `/certificates/{code}`: `valid`, `revoked` (with its day) or `unknown`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyCertData {
    pub status: String,
    pub certificate: Option<CertificateView>,
    pub revoked_on: String,
}

/// One certificate in the administrator's list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminCertRow {
    pub id: i64,
    pub number: String,
    pub holder: String,
    pub title: Bi,
    pub issued_on: String,
    /// `valid` or `revoked`.
    pub status: String,
}

/// `/admin/certificates`: the region's certificates, searched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminCertsData {
    pub query: String,
    pub rows: Vec<AdminCertRow>,
}

/// `/admin/certificates/{id}`: one certificate, and the revocation form while it is valid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminCertData {
    pub id: i64,
    pub certificate: CertificateView,
    /// `valid` or `revoked`.
    pub status: String,
    pub revoked_on: String,
    pub revoked_reason: String,
    /// The first day the holder may apply for a title again (a revoked certificate's).
    pub barred_until: String,
    /// `review_fraud_bar_years` in force.
    pub years: i64,
    /// The reason as typed, after a refused revocation.
    pub reason: String,
    pub problems: Vec<FieldProblem>,
    pub notice: Option<Notice>,
}

/// A bar on applying for a title, as the self-check, the application pages and the dossier show
/// it (the request's extension on `/check` and `/apply`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BarView {
    pub certificate_number: String,
    pub starts_on: String,
    pub until: String,
    /// Why the certificate was revoked, as the administrator wrote it.
    pub reason: String,
}

/// The bar on applying the server found for the signed-in person of this request (on `/check`
/// and `/apply`; `server::web::session` puts it in the request's extensions).
pub fn use_bar() -> Option<BarView> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<BarView>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
