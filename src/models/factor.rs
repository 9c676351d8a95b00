//! The factors a Member session is made of: what kind, how it was delivered, and the details of
//! the credential behind it.

use serde::{Deserialize, Serialize};

use crate::de::nullable;
use crate::open_enum::open_enum;

open_enum! {
    /// The kind of an authentication factor.
    pub enum AuthenticationFactorType {
        /// An emailed magic link.
        MagicLink = "magic_link",
        /// A one-time passcode sent by SMS or WhatsApp.
        Otp = "otp",
        /// An OAuth login.
        OAuth = "oauth",
        /// A WebAuthn credential (passkey or security key).
        WebAuthn = "webauthn",
        /// A TOTP code from an authenticator app.
        Totp = "totp",
        /// A crypto wallet.
        Crypto = "crypto",
        /// A password.
        Password = "password",
        /// A signed challenge.
        SignatureChallenge = "signature_challenge",
        /// SAML or OIDC single sign-on.
        Sso = "sso",
        /// A factor imported from another identity system.
        Imported = "imported",
        /// A TOTP recovery code.
        RecoveryCodes = "recovery_codes",
        /// A one-time passcode sent by email.
        EmailOtp = "email_otp",
        /// A session started by an impersonator.
        Impersonated = "impersonated",
        /// A trusted token from your own identity system.
        TrustedAuthToken = "trusted_auth_token",
    }
}

open_enum! {
    /// How an authentication factor reached the Member (or which provider vouched for it).
    pub enum AuthenticationFactorDeliveryMethod {
        /// Sent by email.
        Email = "email",
        /// Sent by SMS.
        Sms = "sms",
        /// Sent by WhatsApp.
        Whatsapp = "whatsapp",
        /// An embeddable magic link.
        Embedded = "embedded",
        /// Google OAuth.
        OAuthGoogle = "oauth_google",
        /// Microsoft OAuth.
        OAuthMicrosoft = "oauth_microsoft",
        /// Apple OAuth.
        OAuthApple = "oauth_apple",
        /// A WebAuthn registration.
        WebAuthnRegistration = "webauthn_registration",
        /// An authenticator app (TOTP).
        AuthenticatorApp = "authenticator_app",
        /// GitHub OAuth.
        OAuthGithub = "oauth_github",
        /// A recovery code.
        RecoveryCode = "recovery_code",
        /// Facebook OAuth.
        OAuthFacebook = "oauth_facebook",
        /// A crypto wallet.
        CryptoWallet = "crypto_wallet",
        /// Amazon OAuth.
        OAuthAmazon = "oauth_amazon",
        /// Bitbucket OAuth.
        OAuthBitbucket = "oauth_bitbucket",
        /// Coinbase OAuth.
        OAuthCoinbase = "oauth_coinbase",
        /// Discord OAuth.
        OAuthDiscord = "oauth_discord",
        /// Figma OAuth.
        OAuthFigma = "oauth_figma",
        /// GitLab OAuth.
        OAuthGitLab = "oauth_gitlab",
        /// Instagram OAuth.
        OAuthInstagram = "oauth_instagram",
        /// LinkedIn OAuth.
        OAuthLinkedIn = "oauth_linkedin",
        /// Shopify OAuth.
        OAuthShopify = "oauth_shopify",
        /// Slack OAuth.
        OAuthSlack = "oauth_slack",
        /// Snapchat OAuth.
        OAuthSnapchat = "oauth_snapchat",
        /// Spotify OAuth.
        OAuthSpotify = "oauth_spotify",
        /// Steam OAuth.
        OAuthSteam = "oauth_steam",
        /// TikTok OAuth.
        OAuthTikTok = "oauth_tiktok",
        /// Twitch OAuth.
        OAuthTwitch = "oauth_twitch",
        /// Twitter OAuth.
        OAuthTwitter = "oauth_twitter",
        /// Something the Member knows: a password.
        Knowledge = "knowledge",
        /// A biometric check on a device.
        Biometric = "biometric",
        /// SAML single sign-on.
        SsoSaml = "sso_saml",
        /// OIDC single sign-on.
        SsoOidc = "sso_oidc",
        /// Salesforce OAuth.
        OAuthSalesforce = "oauth_salesforce",
        /// Yahoo OAuth.
        OAuthYahoo = "oauth_yahoo",
        /// HubSpot OAuth.
        OAuthHubspot = "oauth_hubspot",
        /// Imported from Auth0.
        ImportedAuth0 = "imported_auth0",
        /// A Slack OAuth factor carried over from another Organization.
        OAuthExchangeSlack = "oauth_exchange_slack",
        /// A HubSpot OAuth factor carried over from another Organization.
        OAuthExchangeHubspot = "oauth_exchange_hubspot",
        /// A GitHub OAuth factor carried over from another Organization.
        OAuthExchangeGithub = "oauth_exchange_github",
        /// A Google OAuth factor carried over from another Organization.
        OAuthExchangeGoogle = "oauth_exchange_google",
        /// Impersonation by someone else.
        Impersonation = "impersonation",
        /// A Connected App access token exchange.
        OAuthAccessTokenExchange = "oauth_access_token_exchange",
        /// A trusted token exchange.
        TrustedTokenExchange = "trusted_token_exchange",
    }
}

/// One factor of a session. `type` and `delivery_method` say what it is; at most the matching
/// `*_factor` field carries details (a password factor carries none). Those fields are boxed:
/// inline, the forty of them made every factor 2.5 KB, for the one (or none) that is there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthenticationFactor {
    /// The kind of factor.
    #[serde(deserialize_with = "nullable")]
    pub r#type: AuthenticationFactorType,
    /// How the factor was delivered or which provider vouched for it.
    #[serde(deserialize_with = "nullable")]
    pub delivery_method: AuthenticationFactorDeliveryMethod,
    /// When the factor was last used (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_authenticated_at: Option<String>,
    /// When the factor was first used (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the factor last changed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Details of an email factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_factor: Option<Box<EmailFactor>>,
    /// Details of a phone number factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_factor: Option<Box<PhoneNumberFactor>>,
    /// Details of a Google OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Microsoft OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microsoft_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of an Apple OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apple_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a WebAuthn factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webauthn_factor: Option<Box<WebAuthnFactor>>,
    /// Details of an authenticator app (TOTP) factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticator_app_factor: Option<Box<AuthenticatorAppFactor>>,
    /// Details of a GitHub OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub github_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a recovery code factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code_factor: Option<Box<RecoveryCodeFactor>>,
    /// Details of a Facebook OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a crypto wallet factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crypto_wallet_factor: Option<Box<CryptoWalletFactor>>,
    /// Details of an Amazon OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Bitbucket OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitbucket_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Coinbase OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coinbase_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Discord OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discord_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Figma OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figma_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a GitLab OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_lab_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of an Instagram OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instagram_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a LinkedIn OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_in_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Shopify OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shopify_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Slack OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slack_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Snapchat OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapchat_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Spotify OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spotify_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Steam OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steam_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a TikTok OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tik_tok_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Twitch OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitch_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Twitter OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twitter_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of an embeddable magic link factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeddable_magic_link_factor: Option<Box<EmbeddableMagicLinkFactor>>,
    /// Details of a biometric factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biometric_factor: Option<Box<BiometricFactor>>,
    /// Details of a SAML SSO factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saml_sso_factor: Option<Box<SsoFactor>>,
    /// Details of an OIDC SSO factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_sso_factor: Option<Box<SsoFactor>>,
    /// Details of a Salesforce OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salesforce_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Yahoo OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yahoo_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a HubSpot OAuth factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hubspot_oauth_factor: Option<Box<OAuthFactor>>,
    /// Details of a Slack OAuth factor exchanged from another Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slack_oauth_exchange_factor: Option<Box<OAuthExchangeFactor>>,
    /// Details of a HubSpot OAuth factor exchanged from another Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hubspot_oauth_exchange_factor: Option<Box<OAuthExchangeFactor>>,
    /// Details of a GitHub OAuth factor exchanged from another Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub github_oauth_exchange_factor: Option<Box<OAuthExchangeFactor>>,
    /// Details of a Google OAuth factor exchanged from another Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_oauth_exchange_factor: Option<Box<OAuthExchangeFactor>>,
    /// Details of an impersonation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonated_factor: Option<Box<ImpersonatedFactor>>,
    /// Details of a Connected App access token exchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_access_token_exchange_factor: Option<Box<OAuthAccessTokenExchangeFactor>>,
    /// Details of a trusted auth token factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_auth_token_factor: Option<Box<TrustedAuthTokenFactor>>,
}

/// An email address used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmailFactor {
    /// The id of the Member's email.
    #[serde(deserialize_with = "nullable")]
    pub email_id: String,
    /// The email address.
    #[serde(deserialize_with = "nullable")]
    pub email_address: String,
}

/// A phone number used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PhoneNumberFactor {
    /// The id of the Member's phone number.
    #[serde(deserialize_with = "nullable")]
    pub phone_id: String,
    /// The phone number.
    #[serde(deserialize_with = "nullable")]
    pub phone_number: String,
}

/// An OAuth login with any provider; every `*_oauth_factor` field has this shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OAuthFactor {
    /// The id of the OAuth registration.
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    /// The user's id at the provider (its `sub` claim).
    #[serde(deserialize_with = "nullable")]
    pub provider_subject: String,
    /// The id of the Member's email linked to this login, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_id: Option<String>,
}

/// An OAuth factor carried over from another Organization; every `*_oauth_exchange_factor`
/// field has this shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OAuthExchangeFactor {
    /// The id of the Member's email.
    #[serde(deserialize_with = "nullable")]
    pub email_id: String,
}

/// A WebAuthn credential used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct WebAuthnFactor {
    /// The id of the WebAuthn registration.
    #[serde(deserialize_with = "nullable")]
    pub webauthn_registration_id: String,
    /// The domain the credential is bound to.
    #[serde(deserialize_with = "nullable")]
    pub domain: String,
    /// The browser's user agent, if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

/// An authenticator app (TOTP) used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthenticatorAppFactor {
    /// The id of the TOTP registration.
    #[serde(deserialize_with = "nullable")]
    pub totp_id: String,
}

/// A TOTP recovery code used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RecoveryCodeFactor {
    /// The id of the recovery code that was used.
    #[serde(deserialize_with = "nullable")]
    pub totp_recovery_code_id: String,
}

/// A crypto wallet used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CryptoWalletFactor {
    /// The id of the wallet registration.
    #[serde(deserialize_with = "nullable")]
    pub crypto_wallet_id: String,
    /// The wallet's address.
    #[serde(deserialize_with = "nullable")]
    pub crypto_wallet_address: String,
    /// The wallet's chain family, e.g. `ethereum`.
    #[serde(deserialize_with = "nullable")]
    pub crypto_wallet_type: String,
}

/// An embeddable magic link used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmbeddableMagicLinkFactor {
    /// The id of the embeddable magic link.
    #[serde(deserialize_with = "nullable")]
    pub embedded_id: String,
}

/// A biometric check used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BiometricFactor {
    /// The id of the biometric registration.
    #[serde(deserialize_with = "nullable")]
    pub biometric_registration_id: String,
}

/// A SAML or OIDC single sign-on used as a factor; `saml_sso_factor` and `oidc_sso_factor` share
/// this shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SsoFactor {
    /// The id of the Member's SSO registration.
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    /// The id of the SAML or OIDC connection.
    #[serde(deserialize_with = "nullable")]
    pub provider_id: String,
    /// The Member's id at the identity provider.
    #[serde(deserialize_with = "nullable")]
    pub external_id: String,
}

/// Who is impersonating the Member.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ImpersonatedFactor {
    /// The impersonator's id (a Dashboard user id when started from the Dashboard).
    #[serde(deserialize_with = "nullable")]
    pub impersonator_id: String,
    /// The impersonator's email address.
    #[serde(deserialize_with = "nullable")]
    pub impersonator_email_address: String,
}

/// A Connected App access token exchange used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OAuthAccessTokenExchangeFactor {
    /// The Connected App client's id.
    #[serde(deserialize_with = "nullable")]
    pub client_id: String,
}

/// A trusted auth token used as a factor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct TrustedAuthTokenFactor {
    /// The id of the trusted auth token.
    #[serde(deserialize_with = "nullable")]
    pub token_id: String,
}
