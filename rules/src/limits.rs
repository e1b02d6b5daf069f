//! Limits of the product's forms that are not policy (no document sets them): defined here
//! once, because the browser's pages, the domain's checks and the server's handlers all read
//! them, and every message that states a limit quotes it from here.

/// The longest name (of a person, on a dossier or an account), in characters.
pub const MAX_NAME_CHARS: usize = 50;

/// The shortest password, in characters (OWASP ASVS 2.1.1 asks for at least 12 for new
/// systems; 10 is what accounts were created with so far).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The longest reason (a return's reason per field, a recusal's reason), in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// The longest written opinion of an expert (评议意见), in characters.
pub const MAX_OPINION_CHARS: usize = 2000;

/// The top of an evaluation method's score scale (0 to this): the form's scale, not policy.
pub const MAX_SCORE: u32 = 100;
