//! Password strength: zxcvbn (the real `zxcvbn` crate) or LUDS, and breach detection against
//! the seeded list.

use serde_json::{json, Value};
use stytch_b2b_passwords::Secret;

use crate::error::ApiFailure;
use crate::seed::PasswordPolicy;

/// What the strength policy says about a password.
pub(crate) struct Strength {
    pub(crate) valid: bool,
    pub(crate) score: u8,
    pub(crate) breached: bool,
    pub(crate) policy: &'static str,
    pub(crate) luds: Value,
    pub(crate) zxcvbn: Value,
    /// Why it is weak, for error messages.
    pub(crate) weak_reason: Option<String>,
}

/// The project settings that judge a password.
pub(crate) struct PolicySettings<'a> {
    pub(crate) policy: &'a PasswordPolicy,
    pub(crate) breach_detection_on_create: bool,
    pub(crate) breached: &'a [Secret],
}

impl PolicySettings<'_> {
    /// Scores `password`, with the Member's email as zxcvbn user input.
    pub(crate) fn evaluate(&self, password: &str, email: Option<&str>) -> Strength {
        let breached = self.breached.iter().any(|b| b.expose() == password);
        let luds = luds_feedback(password, self.policy);
        match self.policy {
            PasswordPolicy::Luds { .. } => {
                let missing = luds.missing_characters + luds.missing_complexity;
                let valid = missing == 0 && !(breached && self.breach_detection_on_create);
                Strength {
                    valid,
                    score: 0,
                    breached,
                    policy: "luds",
                    weak_reason: (missing > 0).then(|| {
                        format!(
                            "The password needs {} more characters and {} more character classes.",
                            luds.missing_characters, luds.missing_complexity
                        )
                    }),
                    luds: luds.to_json(),
                    zxcvbn: json!({"warning": "", "suggestions": []}),
                }
            }
            // `PasswordPolicy` is non_exhaustive only for other crates; zxcvbn is the default.
            _ => {
                let inputs: Vec<&str> = email
                    .map(|e| e.split(['@', '.', '+', '_', '-']).collect())
                    .unwrap_or_default();
                let entropy = zxcvbn::zxcvbn(password, &inputs);
                let score = u8::from(entropy.score());
                let (warning, suggestions) = match entropy.feedback() {
                    Some(f) => (
                        f.warning().map(|w| w.to_string()).unwrap_or_default(),
                        f.suggestions().iter().map(ToString::to_string).collect(),
                    ),
                    None => (String::new(), Vec::<String>::new()),
                };
                let strong = score >= 3;
                Strength {
                    valid: strong && !(breached && self.breach_detection_on_create),
                    score,
                    breached,
                    policy: "zxcvbn",
                    weak_reason: (!strong).then(|| {
                        let mut reason =
                            format!("The password's zxcvbn score is {score} (3 needed).");
                        if !warning.is_empty() {
                            reason.push(' ');
                            reason.push_str(&warning);
                        }
                        reason
                    }),
                    luds: luds.to_json(),
                    zxcvbn: json!({"warning": warning, "suggestions": suggestions}),
                }
            }
        }
    }

    /// Refuses a new password that the policy rejects: 400 `weak_password` or
    /// `breached_password`.
    pub(crate) fn check_new_password(
        &self,
        password: &str,
        email: Option<&str>,
    ) -> Result<(), ApiFailure> {
        let strength = self.evaluate(password, email);
        if strength.breached && self.breach_detection_on_create {
            return Err(ApiFailure::new(
                400,
                "breached_password",
                "The password appears in a list of breached passwords; choose another.",
            ));
        }
        if let Some(reason) = strength.weak_reason {
            return Err(ApiFailure::new(
                400,
                "weak_password",
                format!("The password does not meet the project's strength policy. {reason}"),
            ));
        }
        Ok(())
    }
}

struct Luds {
    has_lower_case: bool,
    has_upper_case: bool,
    has_digit: bool,
    has_symbol: bool,
    missing_complexity: u32,
    missing_characters: u32,
}

impl Luds {
    fn to_json(&self) -> Value {
        json!({
            "has_lower_case": self.has_lower_case,
            "has_upper_case": self.has_upper_case,
            "has_digit": self.has_digit,
            "has_symbol": self.has_symbol,
            "missing_complexity": self.missing_complexity,
            "missing_characters": self.missing_characters,
        })
    }
}

fn luds_feedback(password: &str, policy: &PasswordPolicy) -> Luds {
    let (min_length, min_complexity) = match policy {
        PasswordPolicy::Luds {
            min_length,
            min_complexity,
        } => (*min_length, *min_complexity),
        _ => (8, 3),
    };
    let has_lower_case = password.chars().any(|c| c.is_ascii_lowercase());
    let has_upper_case = password.chars().any(|c| c.is_ascii_uppercase());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    let has_symbol = password.chars().any(|c| !c.is_ascii_alphanumeric());
    let classes = [has_lower_case, has_upper_case, has_digit, has_symbol]
        .iter()
        .filter(|b| **b)
        .count();
    let classes = u32::try_from(classes).unwrap_or(4);
    let length = u32::try_from(password.chars().count()).unwrap_or(u32::MAX);
    Luds {
        has_lower_case,
        has_upper_case,
        has_digit,
        has_symbol,
        missing_complexity: min_complexity.min(4).saturating_sub(classes),
        missing_characters: min_length.saturating_sub(length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luds_counts_classes_and_length() {
        let policy = PasswordPolicy::luds(10, 3);
        let settings = PolicySettings {
            policy: &policy,
            breach_detection_on_create: true,
            breached: &[],
        };
        let s = settings.evaluate("abcDEF", None);
        assert!(!s.valid);
        assert_eq!(s.luds["missing_characters"], 4);
        assert_eq!(s.luds["missing_complexity"], 1);
        assert!(settings.evaluate("abcDEF123!", None).valid);
    }

    #[test]
    fn zxcvbn_scores_and_breaches() {
        let breached = [Secret::new("correct horse battery staple 1987")];
        let settings = PolicySettings {
            policy: &PasswordPolicy::Zxcvbn,
            breach_detection_on_create: true,
            breached: &breached,
        };
        let weak = settings.evaluate("password", None);
        assert!(!weak.valid);
        assert!(weak.score < 3);
        let strong = settings.evaluate("mauve-Kettle-orbit-1987-quasar", None);
        assert!(strong.valid, "score {}", strong.score);
        let b = settings.evaluate("correct horse battery staple 1987", None);
        assert!(b.breached && !b.valid);
        assert_eq!(
            settings
                .check_new_password("correct horse battery staple 1987", None)
                .err()
                .map(|e| e.error_type),
            Some("breached_password".to_owned())
        );
    }
}
