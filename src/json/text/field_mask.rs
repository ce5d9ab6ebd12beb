//! `google.protobuf.FieldMask` as ProtoJSON writes it: lowerCamelCase paths
//! joined with `,`.

use std::fmt;

/// Why a path list has no JSON form, or a JSON text is not a field mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldMaskError {
    /// Path number `.0` (from 0) is empty.
    EmptyPath(usize),
    /// A snake_case path with an uppercase ASCII letter.
    Uppercase { path: String, found: char },
    /// A path with a `,`, which would split it in two.
    Comma { path: String },
    /// A `_` not followed by a lowercase ASCII letter.
    Underscore { path: String },
    /// A JSON path with a `_`.
    UnderscoreInJson { path: String },
}

impl fmt::Display for FieldMaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyPath(index) => write!(f, "field mask path {index} is empty"),
            Self::Uppercase { path, found } => write!(
                f,
                "field mask path {path:?} has uppercase {found:?}, which cannot map to lowerCamelCase"
            ),
            Self::Comma { path } => write!(f, "field mask path {path:?} contains ','"),
            Self::Underscore { path } => write!(
                f,
                "field mask path {path:?} has '_' not followed by a lowercase letter"
            ),
            Self::UnderscoreInJson { path } => write!(
                f,
                "field mask path {path:?} contains '_', but JSON paths are lowerCamelCase"
            ),
        }
    }
}

/// Writes a `google.protobuf.FieldMask` as its JSON string: every path's
/// snake_case names become lowerCamelCase (`"foo_bar.baz_qux"` →
/// `"fooBar.bazQux"`) and paths are joined with `,`.
///
/// A path that would not read back unchanged is an error: an empty path, an
/// uppercase ASCII letter, a `_` not followed by a lowercase ASCII letter, or
/// a `,`. No paths give `""`.
pub(crate) fn field_mask_to_json(paths: &[String]) -> Result<String, FieldMaskError> {
    let mut out = String::new();
    for (index, path) in paths.iter().enumerate() {
        if path.is_empty() {
            return Err(FieldMaskError::EmptyPath(index));
        }
        if index > 0 {
            out.push(',');
        }
        let mut chars = path.chars();
        while let Some(c) = chars.next() {
            match c {
                'A'..='Z' => {
                    return Err(FieldMaskError::Uppercase {
                        path: path.clone(),
                        found: c,
                    });
                }
                ',' => {
                    return Err(FieldMaskError::Comma { path: path.clone() });
                }
                '_' => match chars.next() {
                    Some(next @ 'a'..='z') => out.push(next.to_ascii_uppercase()),
                    _ => {
                        return Err(FieldMaskError::Underscore { path: path.clone() });
                    }
                },
                _ => out.push(c),
            }
        }
    }
    Ok(out)
}

/// Reads a `google.protobuf.FieldMask` JSON string: `""` is no paths;
/// otherwise paths are split on `,` and each uppercase ASCII letter `X`
/// becomes `_x` (`"fooBar.bazQux"` → `"foo_bar.baz_qux"`). An empty path
/// (`"a,,b"`) or one containing `_` is an error.
pub(crate) fn field_mask_from_json(text: &str) -> Result<Vec<String>, FieldMaskError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(index, path)| {
            if path.is_empty() {
                return Err(FieldMaskError::EmptyPath(index));
            }
            let mut snake = String::with_capacity(path.len() + 4);
            for c in path.chars() {
                match c {
                    '_' => {
                        return Err(FieldMaskError::UnderscoreInJson {
                            path: path.to_owned(),
                        });
                    }
                    'A'..='Z' => {
                        snake.push('_');
                        snake.push(c.to_ascii_lowercase());
                    }
                    _ => snake.push(c),
                }
            }
            Ok(snake)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn field_mask_to_json_camel_cases_and_joins_with_commas() {
        assert_eq!(field_mask_to_json(&[]).unwrap(), "");
        assert_eq!(
            field_mask_to_json(&strings(&["a.b_c", "d"])).unwrap(),
            "a.bC,d"
        );
        assert_eq!(
            field_mask_to_json(&strings(&["foo_bar.baz_qux"])).unwrap(),
            "fooBar.bazQux"
        );
    }

    #[test]
    fn field_mask_to_json_rejects_paths_that_cannot_round_trip() {
        for path in ["", "fooBar", "foo__bar", "foo_", "foo_1", "foo_.bar", "a,b"] {
            assert!(
                field_mask_to_json(&strings(&["ok", path])).is_err(),
                "{path:?} must be rejected"
            );
        }
    }

    #[test]
    fn field_mask_from_json_snake_cases_each_path() {
        assert_eq!(field_mask_from_json(""), Ok(vec![]));
        assert_eq!(field_mask_from_json("a.bC,d"), Ok(strings(&["a.b_c", "d"])));
        assert_eq!(
            field_mask_from_json("fooBar.bazQux"),
            Ok(strings(&["foo_bar.baz_qux"]))
        );
    }

    #[test]
    fn field_mask_from_json_rejects_empty_paths_and_underscores() {
        for text in ["a,,b", ",", "a,", ",a", "foo_bar", "a,b_c"] {
            assert!(
                field_mask_from_json(text).is_err(),
                "{text:?} must be rejected"
            );
        }
    }

    #[test]
    fn field_mask_round_trips_through_json() {
        let paths = strings(&["name", "operation.metadata_value", "a.b_c.d_e_f"]);
        let json = field_mask_to_json(&paths).unwrap();
        assert_eq!(json, "name,operation.metadataValue,a.bC.dEF");
        assert_eq!(field_mask_from_json(&json), Ok(paths));
    }
}
