//! Personal information at rest. An ID number is sensitive personal information (个人信息保护法
//! 第二十八条); the dossier's column holds it sealed (ChaCha20-Poly1305, a random nonce per
//! value, the key's name in front so keys can rotate), and a keyed hash of it (HMAC-SHA256, its
//! own key) finds a dossier by the number without storing the number in clear.
//!
//! The keys come from the server's environment (`GUANTONG_PII_KEYS`, `GUANTONG_PII_INDEX_KEY`)
//! and are installed once at start-up ([`install`]); until then, and when none are configured,
//! the fixed [`Keys::development`] keys serve, which protect nothing (they are in this file) and
//! are announced as such in the log. A stored value without the seal's prefix is a clear value
//! written before sealing existed: [`Keys::open`] reads it as it is and [`reseal_dossiers`]
//! seals it.

use std::sync::OnceLock;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use sha2::Sha256;

use crate::entities::dossier;
use crate::StoreError;

/// What a sealed value starts with (then the key's name, `:`, and hex of nonce and ciphertext).
const PREFIX: &str = "pii1:";
/// Bound into every seal: a sealed ID number opens only as one.
const CONTEXT: &[u8] = b"guantong dossier.id_number";

/// Why keys or a sealed value were refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PiiError {
    #[error("key {0}: a key must be written name:64-hex-digits")]
    BadKey(String),
    #[error("no sealing key is configured")]
    NoKey,
    #[error("two keys are named {0}")]
    DuplicateName(String),
    #[error("a value is sealed with key {0}, which is not configured")]
    UnknownKey(String),
    #[error("a sealed value does not open (altered, or sealed with another key of that name)")]
    Broken,
}

/// The keys: those that open sealed values (the first also seals), and the index's.
#[derive(Clone)]
pub struct Keys {
    sealing: Vec<(String, [u8; 32])>,
    index: [u8; 32],
    development: bool,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.sealing.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Keys")
            .field("names", &names)
            .field("development", &self.development)
            .finish_non_exhaustive()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn key_of(text: &str) -> Option<[u8; 32]> {
    unhex(text.trim())?.try_into().ok()
}

impl Keys {
    /// Keys from their configured text: `sealing` is `name:hex,name:hex…` (64 hex digits each,
    /// the first seals, all open; a name is letters, digits, `-` or `_`), `index` 64 hex digits.
    pub fn parse(sealing: &str, index: &str) -> Result<Keys, PiiError> {
        let mut keys: Vec<(String, [u8; 32])> = Vec::new();
        for item in sealing.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            // The error names the key, never shows its digits.
            let bad = || {
                PiiError::BadKey(match item.split_once(':') {
                    Some((name, _)) => name.to_owned(),
                    None => "(no name)".to_owned(),
                })
            };
            let (name, key) = item.split_once(':').ok_or_else(bad)?;
            let named = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let key = key_of(key).filter(|_| named).ok_or_else(bad)?;
            if keys.iter().any(|(n, _)| n == name) {
                return Err(PiiError::DuplicateName(name.to_owned()));
            }
            keys.push((name.to_owned(), key));
        }
        if keys.is_empty() {
            return Err(PiiError::NoKey);
        }
        let index = key_of(index).ok_or_else(|| PiiError::BadKey("the index key".into()))?;
        Ok(Keys {
            sealing: keys,
            index,
            development: false,
        })
    }

    /// Fixed keys for development and tests, written here for all to read: they keep nothing
    /// secret.
    pub fn development() -> Keys {
        Keys {
            sealing: vec![("dev".to_owned(), [0x5a; 32])],
            index: [0xa5; 32],
            development: true,
        }
    }

    /// Whether these are the [`Keys::development`] ones.
    pub fn is_development(&self) -> bool {
        self.development
    }

    /// The name of the key that seals.
    pub fn current(&self) -> &str {
        &self.sealing[0].0
    }

    /// `plain` sealed with the current key; an empty value stays empty (nothing to hide).
    pub fn seal(&self, plain: &str) -> String {
        if plain.is_empty() {
            return String::new();
        }
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let (name, key) = &self.sealing[0];
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: CONTEXT,
        };
        // Encryption into a Vec fails only past ChaCha20's 256 GB message limit.
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        format!("{PREFIX}{name}:{}{}", hex(&nonce), hex(&sealed))
    }

    /// The value `stored` holds: opened with the key it names, or, without the seal's prefix, as
    /// it is (a clear value from before sealing).
    pub fn open(&self, stored: &str) -> Result<String, PiiError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let (name, body) = rest.split_once(':').ok_or(PiiError::Broken)?;
        let (_, key) = self
            .sealing
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| PiiError::UnknownKey(name.to_owned()))?;
        let bytes = unhex(body)
            .filter(|b| b.len() > 12)
            .ok_or(PiiError::Broken)?;
        let (nonce, sealed) = bytes.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
        let payload = Payload {
            msg: sealed,
            aad: CONTEXT,
        };
        let plain = cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| PiiError::Broken)?;
        String::from_utf8(plain).map_err(|_| PiiError::Broken)
    }

    /// Whether `stored` is sealed with the current key (an empty value needs no seal).
    pub fn sealed_with_current(&self, stored: &str) -> bool {
        stored.is_empty()
            || stored
                .strip_prefix(PREFIX)
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(name, _)| name == self.current())
    }

    /// The keyed hash that finds `plain` (trimmed, upper case, as ID numbers are compared);
    /// none for an empty value.
    pub fn index(&self, plain: &str) -> Option<String> {
        let normal = plain.trim().to_uppercase();
        if normal.is_empty() {
            return None;
        }
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index).ok()?;
        mac.update(normal.as_bytes());
        Some(hex(&mac.finalize().into_bytes()))
    }
}

static INSTALLED: OnceLock<Keys> = OnceLock::new();

/// Makes `keys` the ones every query of this process uses; `false` when keys were installed
/// already (they stay: one process, one set of keys).
pub fn install(keys: Keys) -> bool {
    INSTALLED.set(keys).is_ok()
}

/// The keys in use: those installed, else the development ones.
pub fn keys() -> &'static Keys {
    static DEVELOPMENT: OnceLock<Keys> = OnceLock::new();
    INSTALLED
        .get()
        .unwrap_or_else(|| DEVELOPMENT.get_or_init(Keys::development))
}

/// Seals the dossiers' ID numbers that need it with `keys`' current key and writes their index:
/// every clear value and every row without an index, and with `all`, also those sealed with an
/// older key (a rotation). Each row is written only if it still holds what was read, so a save
/// meanwhile is never overwritten. Answers how many rows were written.
pub async fn reseal_dossiers<C: ConnectionTrait>(
    conn: &C,
    keys: &Keys,
    all: bool,
) -> Result<u64, StoreError> {
    let mut query = dossier::Entity::find()
        .select_only()
        .column(dossier::Column::Id)
        .column(dossier::Column::IdNumber)
        .filter(dossier::Column::IdNumber.ne(""));
    if !all {
        query = query.filter(
            sea_orm::Condition::any()
                .add(dossier::Column::IdNumberIndex.is_null())
                .add(dossier::Column::IdNumber.not_like(format!("{PREFIX}%"))),
        );
    }
    let rows: Vec<(i64, String)> = query.into_tuple().all(conn).await?;
    let mut written = 0;
    for (id, stored) in rows {
        if all && keys.sealed_with_current(&stored) {
            continue;
        }
        let plain = keys.open(&stored)?;
        let done = dossier::Entity::update_many()
            .col_expr(dossier::Column::IdNumber, Expr::value(keys.seal(&plain)))
            .col_expr(
                dossier::Column::IdNumberIndex,
                Expr::value(keys.index(&plain)),
            )
            .filter(dossier::Column::Id.eq(id))
            .filter(dossier::Column::IdNumber.eq(stored))
            .exec(conn)
            .await?;
        written += done.rows_affected;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0101010101010101010101010101010101010101010101010101010101010101";
    const B: &str = "0202020202020202020202020202020202020202020202020202020202020202";
    const ID: &str = "11010519491231002X";

    #[test]
    fn a_sealed_number_opens_and_shows_nothing_of_itself() {
        let keys = Keys::parse(&format!("k1:{A}"), B).unwrap();
        let sealed = keys.seal(ID);
        assert!(sealed.starts_with("pii1:k1:"), "{sealed}");
        // Eight digits of the number by chance in the ciphertext: about one run in 10^7.
        assert!(!sealed.contains("19491231"), "{sealed}");
        assert_ne!(sealed, keys.seal(ID), "a fresh nonce each time");
        assert_eq!(keys.open(&sealed).unwrap(), ID);
        assert_eq!(keys.seal(""), "");
        assert_eq!(keys.open("").unwrap(), "");
        assert_eq!(keys.open(ID).unwrap(), ID, "a clear value from before");
    }

    #[test]
    fn an_altered_value_or_the_wrong_key_does_not_open() {
        let keys = Keys::parse(&format!("k1:{A}"), B).unwrap();
        let sealed = keys.seal(ID);
        let last = sealed.chars().last().unwrap();
        let flipped = format!(
            "{}{}",
            &sealed[..sealed.len() - 1],
            if last == '0' { '1' } else { '0' }
        );
        assert_eq!(keys.open(&flipped), Err(PiiError::Broken));
        let other = Keys::parse(&format!("k1:{B}"), B).unwrap();
        assert_eq!(other.open(&sealed), Err(PiiError::Broken));
        let unnamed = Keys::parse(&format!("k2:{A}"), B).unwrap();
        assert_eq!(
            unnamed.open(&sealed),
            Err(PiiError::UnknownKey("k1".into()))
        );
    }

    #[test]
    fn keys_rotate_the_new_one_seals_the_old_one_still_opens() {
        let old = Keys::parse(&format!("k1:{A}"), B).unwrap();
        let sealed_before = old.seal(ID);
        let rotated = Keys::parse(&format!("k2:{B}, k1:{A}"), B).unwrap();
        assert_eq!(rotated.current(), "k2");
        assert_eq!(rotated.open(&sealed_before).unwrap(), ID);
        assert!(!rotated.sealed_with_current(&sealed_before));
        let sealed_after = rotated.seal(ID);
        assert!(rotated.sealed_with_current(&sealed_after));
        assert_eq!(
            old.index(ID),
            rotated.index(ID),
            "the index key is its own: rotating the sealing key keeps the index"
        );
    }

    #[test]
    fn the_index_is_keyed_and_compares_numbers_as_numbers() {
        let keys = Keys::parse(&format!("k1:{A}"), B).unwrap();
        let index = keys.index(ID).unwrap();
        assert_eq!(index.len(), 64);
        assert_eq!(keys.index(" 11010519491231002x ").unwrap(), index);
        assert_ne!(keys.index("110105194912310037"), Some(index.clone()));
        let other = Keys::parse(&format!("k1:{A}"), A).unwrap();
        assert_ne!(
            other.index(ID).unwrap(),
            index,
            "another index key, another hash"
        );
        assert_eq!(keys.index("  "), None);
    }

    #[test]
    fn configured_keys_are_checked() {
        assert_eq!(Keys::parse("", B).unwrap_err(), PiiError::NoKey);
        assert!(matches!(Keys::parse("k1", B), Err(PiiError::BadKey(_))));
        assert!(matches!(
            Keys::parse("k1:abcd", B),
            Err(PiiError::BadKey(_))
        ));
        assert!(matches!(
            Keys::parse(&format!("k 1:{A}"), B),
            Err(PiiError::BadKey(_))
        ));
        assert!(matches!(
            Keys::parse(&format!("k1:{A}"), "00"),
            Err(PiiError::BadKey(_))
        ));
        assert_eq!(
            Keys::parse(&format!("k1:{A},k1:{B}"), B).unwrap_err(),
            PiiError::DuplicateName("k1".into())
        );
        let keys = Keys::parse(&format!("k1:{A}"), B).unwrap();
        assert!(!format!("{keys:?}").contains("0101"), "Debug shows no key");
        assert!(!keys.is_development());
    }
}
