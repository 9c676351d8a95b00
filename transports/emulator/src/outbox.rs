//! The outbox: every email the emulator "sends" lands here instead.

use std::time::SystemTime;

use stytch_b2b_passwords::Secret;

/// Which flow sent an email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmailKind {
    /// `passwords.email.reset_start`: a reset link for one Member of one Organization.
    PasswordReset,
    /// `passwords.discovery.email.reset_start`: a reset link for an email address, across
    /// Organizations.
    DiscoveryPasswordReset,
}

/// A reset email as the emulator would have sent it.
///
/// The token and the link (which contains the token) are [`Secret`]s, so `Debug` never shows
/// them; read them with [`Secret::expose`].
///
/// ```
/// # use stytch_b2b_passwords_emulator::{Emulator, OrganizationSeed, MemberSeed};
/// let emulator = Emulator::new();
/// assert!(emulator.outbox().is_empty());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct OutboxEmail {
    /// The recipient.
    pub to: String,
    /// Which flow sent it.
    pub kind: EmailKind,
    /// The Organization, for an Organization reset.
    pub organization_id: Option<String>,
    /// The Member, for an Organization reset.
    pub member_id: Option<String>,
    /// The reset token to pass to `email.reset` / `discovery.email.reset`.
    pub token: Secret,
    /// The full link: the redirect URL with `stytch_token_type=multi_tenant_passwords` and
    /// `token=...` appended.
    pub link: Secret,
    /// The redirect URL the link is built on.
    pub redirect_url: String,
    /// When it was sent (emulated time).
    pub sent_at: SystemTime,
    /// When the token expires (emulated time).
    pub expires_at: SystemTime,
    /// The locale asked for, if any.
    pub locale: Option<String>,
    /// The template asked for, if any.
    pub template_id: Option<String>,
}

impl OutboxEmail {
    /// The reset token.
    pub fn token(&self) -> &Secret {
        &self.token
    }
}
