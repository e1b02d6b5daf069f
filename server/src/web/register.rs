//! `POST /register`: a new applicant account, signed in at once. A refused form goes back to
//! its page with each problem's code and what was typed (never the password).

use std::net::SocketAddr;

use axum::{
    body::Bytes,
    extract::{ConnectInfo, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    Extension,
};
use chrono::Utc;
use store::accounts::{self, AccountError};

use super::auth::{client_ip, end_presented_session, signed_in, AccountForm};
use super::{safe_next, see_other};
use crate::state::AppState;

use app::components::layout::encode_component as enc;

/// The username rule: 3–32 of `a-z 0-9 . _ -`.
pub fn username_ok(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Usernames nobody may register (they could pass for the site's own staff). Refused with the
/// same answer as a taken username, so that answer does not prove an account exists.
const RESERVED_USERNAMES: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "system",
    "support",
    "security",
    "guantong",
    "official",
];

/// A registration form, read: what was typed, trimmed, and where to go afterwards.
struct Registration<'a> {
    username: String,
    display_name: String,
    password: &'a str,
    confirm: &'a str,
    next: String,
    consent: bool,
}

impl<'a> Registration<'a> {
    fn of(form: &'a AccountForm) -> Registration<'a> {
        Registration {
            username: form.username.trim().to_lowercase(),
            display_name: form.display_name.trim().to_owned(),
            password: &form.password,
            confirm: &form.confirm,
            next: safe_next(form.next.trim(), ""),
            consent: form.consent.trim() == "yes",
        }
    }

    /// The code of each field that does not meet its rule, in the form's order.
    fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        if !username_ok(&self.username) {
            problems.push("username");
        }
        let name_chars = self.display_name.chars().count();
        if name_chars == 0 || name_chars > rules::limits::MAX_NAME_CHARS {
            problems.push("display_name");
        }
        if self.password.chars().count() < rules::limits::MIN_PASSWORD_CHARS {
            problems.push("password");
        } else if self.password != self.confirm {
            problems.push("confirm");
        }
        if !self.consent {
            problems.push("consent");
        }
        problems
    }

    /// Back to the form with `problems`, keeping what was typed except the passwords.
    fn back(&self, problems: &[&str]) -> Response {
        let mut url = format!(
            "/register?username={}&display_name={}",
            enc(&self.username),
            enc(&self.display_name)
        );
        for problem in problems {
            url.push_str(&format!("&error={problem}"));
        }
        if !self.next.is_empty() {
            url.push_str(&format!("&next={}", enc(&self.next)));
        }
        if self.consent {
            url.push_str("&consent=yes");
        }
        see_other(&url)
    }
}

/// `POST /register`: a new applicant account, signed in at once.
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match AccountForm::read(&body) {
        Ok(form) => form,
        Err(refused) => return refused.into_response(),
    };
    let new = Registration::of(&form);
    let problems = new.problems();
    if !problems.is_empty() {
        return new.back(&problems);
    }
    // A username that cannot be used, taken or reserved: one answer for both, after the same
    // work, and each such refusal counts against the address's limit, which slows down
    // probing for accounts.
    let ip = client_ip(connect);
    let unavailable = || async {
        if state.login_limiter.allow(ip).await {
            new.back(&["unavailable"])
        } else {
            tracing::warn!(%ip, "registration refusals over the limit");
            new.back(&["register_rate"])
        }
    };
    if RESERVED_USERNAMES.contains(&new.username.as_str()) {
        accounts::hash_for_nothing(new.password).await;
        return unavailable().await;
    }
    let (username, password) = (new.username.as_str(), new.password);
    let notice = app::pages::privacy::PRIVACY_NOTICE_VERSION;
    match accounts::register_applicant(&state.db, username, &new.display_name, password, notice)
        .await
    {
        Ok(_) => {}
        Err(AccountError::UsernameTaken) => return unavailable().await,
        Err(e) => {
            tracing::error!(error = %e, "registration failed");
            return new.back(&["username"]);
        }
    }
    let policy = state.login_policy;
    match accounts::login(&state.db, username, password, policy, Utc::now()).await {
        Ok((_, token)) => {
            end_presented_session(&state, &headers).await;
            signed_in(&state, &token, &safe_next(&new.next, "/dossiers"))
        }
        Err(_) => see_other("/login"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_plain_and_lower_case() {
        assert!(username_ok("wang.jianguo_1"));
        assert!(!username_ok("ab"));
        assert!(!username_ok("Wang"));
        assert!(!username_ok("王建国"));
        assert!(!username_ok(&"a".repeat(33)));
    }

    fn form(username: &str, name: &str, password: &str, confirm: &str) -> AccountForm {
        serde_urlencoded::from_str(&format!(
            "username={}&display_name={}&password={}&confirm={}&consent=yes",
            enc(username),
            enc(name),
            enc(password),
            enc(confirm)
        ))
        .unwrap()
    }

    #[test]
    fn each_field_is_checked_against_its_rule() {
        let long_name = "王".repeat(rules::limits::MAX_NAME_CHARS + 1);
        let short = "x".repeat(rules::limits::MIN_PASSWORD_CHARS - 1);
        let good = "a-long-password";
        let cases: [(AccountForm, &[&str]); 6] = [
            (form(" Wang.Li ", " 王丽 ", good, good), &[]),
            (form("ab", "王丽", good, good), &["username"]),
            (form("wangli", "  ", good, good), &["display_name"]),
            (form("wangli", &long_name, good, good), &["display_name"]),
            (form("wangli", "王丽", &short, &short), &["password"]),
            (
                form("王丽", "", good, "other"),
                &["username", "display_name", "confirm"],
            ),
        ];
        for (form, expected) in &cases {
            assert_eq!(Registration::of(form).problems(), *expected, "{form:?}");
        }
        // Without the tick agreeing to the privacy notice, no account.
        let unticked: AccountForm = serde_urlencoded::from_str(
            "username=wangli&display_name=x&password=a-long-password&confirm=a-long-password",
        )
        .unwrap();
        assert_eq!(Registration::of(&unticked).problems(), ["consent"]);
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed_but_no_password() {
        let typed = form("wangli", "王丽", "secret-password", "secret-passwor");
        let response = Registration::of(&typed).back(&["confirm"]);
        let location = response.headers()[axum::http::header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(location.contains("username=wangli"), "{location}");
        assert!(location.contains("error=confirm"), "{location}");
        assert!(!location.contains("secret"), "{location}");
    }
}
