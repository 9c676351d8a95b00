//! Finds the JSON path (`member.roles[0].role_id`) at a byte offset of a JSON text.
//!
//! Decode errors name the field that failed. `serde_path_to_error` does that by wrapping the
//! deserializer, which compiles every response type's `Deserialize` a second time: measured here,
//! half the core's release build time. serde_json already says where it stopped (line and
//! column), so this small scanner turns that position into a path instead, and only on failure.
//!
//! A decode error may end up in a log, and the body it describes may hold session tokens, so the
//! path is built from the structure only: a string counts as a key only where the grammar puts
//! a key (after `{` or `,`) and once its `:` has been read, never a value that lost its `:`; a
//! key that does not look like a field name (ASCII letters, digits and `_`, at most
//! [`MAX_KEY_LEN`] bytes) shows as `?`; and the whole path is capped at [`MAX_PATH_LEN`] bytes.

/// The longest key a path shows as written; longer ones show as `?`.
const MAX_KEY_LEN: usize = 64;
/// The longest path reported; a deeper one is cut and ends in `…`.
pub(crate) const MAX_PATH_LEN: usize = 256;

/// Where the scan is inside an object. Keys are kept as byte ranges of the body: a huge key
/// costs nothing, and only keys that pass [`is_field_name`] are ever copied out.
#[derive(Clone, Copy)]
enum Member {
    /// Before a key: just after `{` or `,`.
    ExpectKey,
    /// After a key string, before its `:`; not shown, since the body is broken right there.
    Key(usize, usize),
    /// After the `:` of this key: its value is being read (or was just read).
    Value(usize, usize),
}

/// One level of nesting on the way to the offset.
enum Frame {
    /// Inside an object.
    Object(Member),
    /// Inside an array, at this element.
    Array(usize),
}

/// The path of the value being read at `offset` bytes into `json`: `.` at the top level.
pub(crate) fn path_at(json: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let end = offset.min(json.len());
    let mut i = 0;
    while i < end {
        match json[i] {
            b'{' => stack.push(Frame::Object(Member::ExpectKey)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(member)) => *member = Member::ExpectKey,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object(member)) = stack.last_mut() {
                    if let Member::Key(start, stop) = *member {
                        *member = Member::Value(start, stop);
                    }
                }
            }
            b'"' => {
                let start = i + 1;
                i = start;
                // Only up to the offset: a string still open there is where reading stopped.
                while i < end && json[i] != b'"' {
                    // Skip the escaped character, so `\"` does not end the string.
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object(member)) = stack.last_mut() {
                    if matches!(member, Member::ExpectKey) && i < end {
                        *member = Member::Key(start, i);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    // serde_json stops just inside a container whose type is wrong (`[` where an object was
    // expected): the failing value is the container itself, not its first element.
    if end > 0 && matches!(json[end - 1], b'{' | b'[') {
        stack.pop();
    }
    let mut path = String::new();
    for frame in &stack {
        let before = path.len();
        match frame {
            Frame::Object(Member::Value(start, stop)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                match json.get(*start..*stop).filter(|key| is_field_name(key)) {
                    // A field name is ASCII, so this conversion cannot fail.
                    Some(key) => path.push_str(std::str::from_utf8(key).unwrap_or("?")),
                    None => path.push('?'),
                }
            }
            Frame::Object(_) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
        if path.len() > MAX_PATH_LEN {
            path.truncate(before);
            path.push('…');
            break;
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Whether a key looks like a field name of the API, and so may be shown in a path.
fn is_field_name(key: &[u8]) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// The byte offset of a 1-based `line` and `column` as serde_json reports them (`0, 0` when it
/// has no position).
pub(crate) fn offset_of(json: &[u8], line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = json
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(i, _)| if line == 1 { 0 } else { i + 1 });
    line_start.saturating_add(column).min(json.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let err = serde_json::from_str::<T>(json).unwrap_err();
        path_at(
            json.as_bytes(),
            offset_of(json.as_bytes(), err.line(), err.column()),
        )
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Role {
        role_id: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Member {
        #[serde(default)]
        name: String,
        #[serde(default)]
        roles: Vec<Role>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        #[serde(default)]
        request_id: String,
        #[serde(default)]
        member: Option<Member>,
        #[serde(default)]
        ok: bool,
    }

    #[test]
    fn names_the_failing_field() {
        assert_eq!(path_of_error::<Body>(r#"{"request_id": 12}"#), "request_id");
        assert_eq!(
            path_of_error::<Body>(
                r#"{"request_id":"a,\"b:","member":{"name":"x","roles":[{"role_id":"r"},{"role_id":7}]}}"#
            ),
            "member.roles[1].role_id"
        );
        assert_eq!(
            path_of_error::<Body>(
                "{\n  \"request_id\": \"r\",\n  \"member\": {\n    \"name\": []\n  }\n}"
            ),
            "member.name"
        );
        assert_eq!(path_of_error::<Body>(r#"{"request_id":"r","ok":tr"#), "ok");
        assert_eq!(path_of_error::<Body>(""), ".");
        // A struct can be read from an array; its first element is what failed.
        assert_eq!(path_of_error::<Body>("[1]"), "[0]");
    }

    /// The body of the bug report: the `:` after a key is lost, and the next string is a token.
    #[test]
    fn a_value_is_never_read_as_a_key() {
        let body = r#"{"request_id":"r","session_token" "tok-SECRET-1234"}"#;
        let path = path_of_error::<Body>(body);
        assert!(!path.contains("SECRET"), "{path}");
        // A string after a value, or after a key that had no `:`, is no key either.
        for body in [
            r#"{"request_id":"r" "tok-SECRET-1234":1}"#,
            r#"{"request_id":"r","ok" "tok-SECRET-1234":1,"x":tr"#,
            r#"{"request_id" "tok-SECRET-1234"}"#,
        ] {
            for offset in 0..=body.len() {
                let path = path_at(body.as_bytes(), offset);
                assert!(!path.contains("SECRET"), "{body} at {offset}: {path}");
            }
        }
    }

    #[test]
    fn keys_that_are_not_field_names_are_not_shown() {
        let body = r#"{"member":{"tok-SECRET 1":{"x":tr"#;
        assert_eq!(path_at(body.as_bytes(), body.len()), "member.?.x");
        let long_key = "k".repeat(MAX_KEY_LEN + 1);
        let body = format!(r#"{{"{long_key}":tr"#);
        assert_eq!(path_at(body.as_bytes(), body.len()), "?");
        // A 10 MB key before a syntax error costs no copy and shows as `?`.
        let body = format!(r#"{{"{}":[1,}}"#, "A".repeat(10 << 20));
        let err = serde_json::from_str::<serde_json::Value>(&body).unwrap_err();
        let offset = offset_of(body.as_bytes(), err.line(), err.column());
        assert_eq!(path_at(body.as_bytes(), offset), "?");
    }

    #[test]
    fn paths_are_capped() {
        let body = format!(r#"{}tr"#, r#"{"abcdefghij":"#.repeat(100));
        let path = path_at(body.as_bytes(), body.len());
        assert!(
            path.len() <= MAX_PATH_LEN + '…'.len_utf8(),
            "{}",
            path.len()
        );
        assert!(path.starts_with("abcdefghij.abcdefghij."));
        assert!(path.ends_with('…'));
    }

    #[test]
    fn never_panics_on_odd_offsets() {
        for json in ["", "\"", "{\"", "{\"a\\", "[[[", "}}}", "\\\\\""] {
            for offset in 0..json.len() + 3 {
                let _ = path_at(json.as_bytes(), offset);
            }
            for line in 0..4 {
                for column in 0..6 {
                    let _ = offset_of(json.as_bytes(), line, column);
                }
            }
        }
    }
}
