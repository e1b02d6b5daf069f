//! `/login`, `/register`, `/reset/{token}`, `/account/password`: accounts. Plain forms posting to the server's
//! account routes; a refused form comes back with the problem named beside its field and
//! everything typed kept (except passwords, which are never sent back to a page).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::check::{get, parse_query};
use crate::components::form::{error_summary, input, FieldSpec};
use crate::components::layout::PageTitle;
use crate::i18n::{use_lang, Lang};
use crate::portal::{FieldProblem, P};

/// A problem code in a query string, as the field it concerns and its message.
pub fn problem_from_code(code: &str) -> Option<FieldProblem> {
    let (field, msg) = match code {
        "invalid" => ("password", P::ErrInvalidLogin),
        "rate" => ("username", P::ErrRateLimited),
        "register_rate" => ("username", P::ErrRegisterRate),
        "username" => ("username", P::ErrUsername),
        "unavailable" => ("username", P::ErrUsernameUnavailable),
        "current" => ("current", P::ErrCurrentPassword),
        "password_same" => ("password", P::ErrPasswordSame),
        "display_name" => ("display_name", P::ErrDisplayName),
        "password" => ("password", P::ErrPassword),
        "confirm" => ("confirm", P::ErrConfirm),
        "reset_invalid" => ("password", P::ErrResetInvalid),
        "consent" => ("consent", P::ErrConsent),
        "delete_password" => ("delete_password", P::ErrDeletePassword),
        "delete_confirm" => ("confirm_account_delete", P::ErrConfirmAccountDelete),
        "not_deletable" => ("delete_password", P::ErrAccountNotDeletable),
        _ => return None,
    };
    // The limits are quoted from the constants that enforce them.
    let max = rules::limits::MAX_NAME_CHARS.to_string();
    let min = rules::limits::MIN_PASSWORD_CHARS.to_string();
    Some(FieldProblem::new(field, msg).with(&[("max", &max), ("min", &min)]))
}

fn problems(pairs: &[(String, String)]) -> Vec<FieldProblem> {
    pairs
        .iter()
        .filter(|(k, _)| k == "error")
        .filter_map(|(_, v)| problem_from_code(v))
        .collect()
}

fn hidden_next(next: &str) -> Option<AnyView> {
    (!next.is_empty())
        .then(|| view! { <input type="hidden" name="next" value=next.to_owned() /> }.into_any())
}

/// A new password and its confirmation.
fn new_password(lang: Lang, problems: &[FieldProblem], label: P) -> AnyView {
    let field = |name: &str| crate::components::form::problem_for(lang, problems, name);
    let spec = |name, label: P, hint: Option<P>| FieldSpec {
        name,
        label: label.text(lang).into(),
        value: String::new(),
        hint: hint.map(|h| {
            let min = rules::limits::MIN_PASSWORD_CHARS.to_string();
            h.text(lang).replace("{min}", &min)
        }),
        problem: field(name),
    };
    view! {
        {input(spec("password", label, Some(P::PasswordHint)), "password", "new-password")}
        {input(spec("confirm", P::ConfirmPassword, None), "password", "new-password")}
    }
    .into_any()
}

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let pairs = parse_query(&use_location().search.get_untracked());
    let problems = problems(&pairs);
    let field = |name: &str| crate::components::form::problem_for(lang, &problems, name);
    let next = get(&pairs, "next").unwrap_or("").to_owned();
    let register_href = if next.is_empty() {
        "/register".to_owned()
    } else {
        format!(
            "/register?next={}",
            crate::components::layout::encode_component(&next)
        )
    };
    view! {
        <div class="mx-auto max-w-md space-y-6">
            {error_summary(lang, &problems)}
            <PageTitle name=P::LoginHeading.text(lang) errors=!problems.is_empty() />
            <h1 class="text-2xl font-bold">{P::LoginHeading.text(lang)}</h1>
            {(get(&pairs, "reset") == Some("done"))
                .then(|| view! { <p class="notice notice-ok" role="status">{P::ResetDone.text(lang)}</p> })}
            {(get(&pairs, "notice") == Some("account_deleted"))
                .then(|| view! { <p class="notice notice-ok" role="status" id="notice">{P::AccountDeleted.text(lang)}</p> })}
            <form method="post" action="/login" class="space-y-4" novalidate>
                {hidden_next(&next)}
                {input(
                    FieldSpec {
                        name: "username",
                        label: P::Username.text(lang).into(),
                        value: get(&pairs, "username").unwrap_or("").into(),
                        hint: None,
                        problem: field("username"),
                    },
                    "text",
                    "username",
                )}
                {input(
                    FieldSpec {
                        name: "password",
                        label: P::Password.text(lang).into(),
                        value: String::new(),
                        hint: None,
                        problem: field("password"),
                    },
                    "password",
                    "current-password",
                )}
                <button type="submit" class="button-primary" id="login">{P::LoginButton.text(lang)}</button>
            </form>
            <p>{P::NoAccount.text(lang)} " " <a href=register_href class="link">{P::RegisterLink.text(lang)}</a></p>
            <p class="text-sm text-slate-600">{P::ForgotPassword.text(lang)}</p>
        </div>
    }
}

/// `/register`
#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let pairs = parse_query(&use_location().search.get_untracked());
    let problems = problems(&pairs);
    let field = |name: &str| crate::components::form::problem_for(lang, &problems, name);
    let next = get(&pairs, "next").unwrap_or("").to_owned();
    view! {
        <div class="mx-auto max-w-md space-y-6">
            {error_summary(lang, &problems)}
            <PageTitle name=P::RegisterHeading.text(lang) errors=!problems.is_empty() />
            <h1 class="text-2xl font-bold">{P::RegisterHeading.text(lang)}</h1>
            <p>{P::RegisterLead.text(lang)}</p>
            <form method="post" action="/register" class="space-y-4" novalidate>
                {hidden_next(&next)}
                {input(
                    FieldSpec {
                        name: "username",
                        label: P::Username.text(lang).into(),
                        value: get(&pairs, "username").unwrap_or("").into(),
                        hint: Some(P::UsernameHint.text(lang).into()),
                        problem: field("username"),
                    },
                    "text",
                    "username",
                )}
                {input(
                    FieldSpec {
                        name: "display_name",
                        label: P::DisplayName.text(lang).into(),
                        value: get(&pairs, "display_name").unwrap_or("").into(),
                        hint: None,
                        problem: field("display_name"),
                    },
                    "text",
                    "name",
                )}
                {new_password(lang, &problems, P::Password)}
                {consent_tick(lang, get(&pairs, "consent") == Some("yes"), field("consent"))}
                <button type="submit" class="button-primary" id="register">{P::RegisterButton.text(lang)}</button>
            </form>
        </div>
    }
}

/// The tick agreeing to the privacy notice, with a link to read it (in a new tab, so nothing
/// typed is lost), and its problem.
fn consent_tick(lang: Lang, ticked: bool, problem: Option<String>) -> AnyView {
    view! {
        {crate::components::form::tick("consent", P::ConsentPrivacy.text(lang).into(), ticked, problem)}
        <p class="hint">
            <a href="/privacy" class="link" target="_blank" rel="noopener">{P::ConsentPrivacyLink.text(lang)}</a>
        </p>
    }
    .into_any()
}

/// `/reset/{token}`: sets a new password with a link an administrator issued.
#[component]
pub fn ResetPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let pairs = parse_query(&use_location().search.get_untracked());
    let problems = problems(&pairs);
    view! {
        <div class="mx-auto max-w-md space-y-6">
            {error_summary(lang, &problems)}
            <PageTitle name=P::ResetHeading.text(lang) errors=!problems.is_empty() />
            <h1 class="text-2xl font-bold">{P::ResetHeading.text(lang)}</h1>
            <form method="post" action=format!("/reset/{token}") class="space-y-4" novalidate>
                {new_password(lang, &problems, P::NewPassword)}
                <button type="submit" class="button-primary">{P::ResetButton.text(lang)}</button>
            </form>
        </div>
    }
}

/// `/account/password`: the signed-in person changes their own password (the route handler has
/// checked they are signed in).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    let pairs = parse_query(&use_location().search.get_untracked());
    let mut problems = problems(&pairs);
    // Sign-in limits reach this form too; here the problem belongs to the current password.
    for p in problems.iter_mut().filter(|p| p.field == "username") {
        p.field = "current".to_owned();
    }
    let field = |name: &str| crate::components::form::problem_for(lang, &problems, name);
    let changed = get(&pairs, "notice") == Some("changed");
    view! {
        <div class="mx-auto max-w-md space-y-6">
            {error_summary(lang, &problems)}
            <PageTitle name=P::PasswordHeading.text(lang) errors=!problems.is_empty() />
            <h1 class="text-2xl font-bold">{P::PasswordHeading.text(lang)}</h1>
            {changed
                .then(|| view! { <p class="notice notice-ok" role="status" id="notice">{P::PasswordChanged.text(lang)}</p> })}
            <p>{P::PasswordLead.text(lang)}</p>
            <form method="post" action="/account/password" class="space-y-4" novalidate>
                {input(
                    FieldSpec {
                        name: "current",
                        label: P::CurrentPassword.text(lang).into(),
                        value: String::new(),
                        hint: None,
                        problem: field("current"),
                    },
                    "password",
                    "current-password",
                )}
                {new_password(lang, &problems, P::NewPassword)}
                <button type="submit" class="button-primary" id="change-password">{P::ResetButton.text(lang)}</button>
            </form>
            <section aria-labelledby="delete-account-heading" class="space-y-3 border-t border-slate-200 pt-6" id="delete-account">
                <h2 id="delete-account-heading" class="text-xl font-bold">{P::DeleteAccountHeading.text(lang)}</h2>
                <p class="text-sm">{P::DeleteAccountLead.text(lang)}</p>
                <form method="post" action="/account/delete" class="space-y-4" novalidate>
                    {input(
                        FieldSpec {
                            name: "delete_password",
                            label: P::DeletePassword.text(lang).into(),
                            value: String::new(),
                            hint: None,
                            problem: field("delete_password"),
                        },
                        "password",
                        "current-password",
                    )}
                    {crate::components::form::tick(
                        "confirm_account_delete",
                        P::ConfirmAccountDelete.text(lang).into(),
                        false,
                        field("confirm_account_delete"),
                    )}
                    <button type="submit" class="button-danger" id="delete-account-button">{P::DeleteAccountButton.text(lang)}</button>
                </form>
            </section>
        </div>
    }
}
