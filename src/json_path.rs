//! Finds the JSON path (`member.roles[0].role_id`) at a byte offset of a JSON text.
//!
//! Decode errors name the field that failed. `serde_path_to_error` does that by wrapping the
//! deserializer, which compiles every response type's `Deserialize` a second time: measured here,
//! half the core's release build time. serde_json already says where it stopped (line and
//! column), so this small scanner turns that position into a path instead, and only on failure.

/// One level of nesting on the way to the offset.
enum Frame {
    /// Inside an object; the key of the member being read, once its name is known.
    Object { key: Option<String>, in_key: bool },
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
            b'{' => stack.push(Frame::Object {
                key: None,
                in_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object { key, in_key }) => {
                    *key = None;
                    *in_key = true;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { in_key, .. }) = stack.last_mut() {
                    *in_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while i < json.len() && json[i] != b'"' {
                    // Skip the escaped character, so `\"` does not end the string.
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, in_key: true }) = stack.last_mut() {
                    let name = &json[start.min(json.len())..i.min(json.len())];
                    *key = Some(String::from_utf8_lossy(name).into_owned());
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
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
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
