//! Reading the causes HTTP stacks wrap their errors in, for messages and for telling failures
//! apart (a TLS error inside a connect error, a timeout inside an `io::Error`).

use std::error::Error as StdError;

/// Walks an error's causes, looking also inside `io::Error`s (whose `source` skips the error
/// they wrap).
pub fn any_cause(
    err: &(dyn StdError + 'static),
    f: &mut dyn FnMut(&(dyn StdError + 'static)) -> bool,
) -> bool {
    let mut current = Some(err);
    let mut depth = 0;
    while let Some(e) = current {
        if f(e) {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if any_cause(inner, f) {
                    return true;
                }
            }
        }
        depth += 1;
        if depth > 16 {
            break;
        }
        current = e.source();
    }
    false
}

/// The innermost cause's message, where the useful words usually are ("Connection refused",
/// "invalid peer certificate: UnknownIssuer").
pub fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut last = err.to_string();
    any_cause(err, &mut |e| {
        last = e.to_string();
        false
    });
    last
}
