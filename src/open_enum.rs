//! The shape shared by every open enum of the crate.
//!
//! Proto3 enums are open: the wire may carry any `i32`, and a peer built
//! from a newer definition will send numbers we do not know yet. Like
//! `http::StatusCode`, each enum is a newtype over the number with associated
//! constants for the known values, so an unknown value survives decoding,
//! re-encoding, printing and parsing unchanged.

/// Error of `FromStr` on an open enum: the text is neither a known name nor a
/// decimal `i32`.
///
/// ```
/// use cancelwire::flight::CancelStatus;
///
/// let err = "CANCEL_STATUS_PAUSED".parse::<CancelStatus>().unwrap_err();
/// assert_eq!(err.enum_name(), "arrow.flight.protocol.CancelStatus");
/// assert_eq!(err.to_string(), "`CANCEL_STATUS_PAUSED` is neither a name nor a number of enum arrow.flight.protocol.CancelStatus");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumName {
    enum_name: &'static str,
    text: String,
}

impl UnknownEnumName {
    #[doc(hidden)]
    pub fn new(enum_name: &'static str, text: &str) -> Self {
        Self {
            enum_name,
            text: text.to_owned(),
        }
    }

    /// Full protobuf name of the enum that was parsed.
    ///
    /// ```
    /// let err = "nope".parse::<cancelwire::rpc::Code>().unwrap_err();
    /// assert_eq!(err.enum_name(), "google.rpc.Code");
    /// ```
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The text that was rejected.
    ///
    /// ```
    /// let err = "nope".parse::<cancelwire::rpc::Code>().unwrap_err();
    /// assert_eq!(err.text(), "nope");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for UnknownEnumName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is neither a name nor a number of enum {}",
            self.text, self.enum_name
        )
    }
}

impl std::error::Error for UnknownEnumName {}

/// Defines an open enum newtype; `cancelwire-build` writes an invocation
/// for every enum from its descriptor, in cancelwire and in users' crates.
/// `$path` is the public module it is exported from, `$fence` the opening
/// fence of the doc examples ("```ignore" where the module is not known),
/// `$example` a known constant and `$unknown` a number that is not a value,
/// all for the doc examples. Aliases (two names for one number) may be
/// listed: the first name is the one printed.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($proto:literal) in $path:literal fence $fence:literal example $example:ident = $example_text:literal, unknown $unknown:literal {
            $( $(#[$cmeta:meta])* $konst:ident = $num:literal => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        ///
        #[doc = $fence]
        #[doc = concat!("use ", $path, "::", stringify!($name), ";")]
        ///
        #[doc = concat!("assert_eq!(", stringify!($name), "::", stringify!($example), ".to_string(), \"", $example_text, "\");")]
        #[doc = concat!("assert_eq!(\"", $example_text, "\".parse(), ::core::result::Result::Ok(", stringify!($name), "::", stringify!($example), "));")]
        #[doc = concat!("let newer = ", stringify!($name), "::from_i32(", stringify!($unknown), ");")]
        #[doc = concat!("assert_eq!(newer.to_string(), \"", stringify!($unknown), "\");")]
        /// assert!(!newer.is_known());
        /// ```
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(i32);

        // Constants keep the `.proto` value names, which are not always
        // upper case (`kFalse`).
        #[allow(non_upper_case_globals)]
        impl $name {
            $(
                $(#[$cmeta])*
                pub const $konst: Self = Self($num);
            )+

            /// Every known value, in the order of the `.proto` definition.
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("assert!(", stringify!($name), "::KNOWN.contains(&", stringify!($name), "::", stringify!($example), "));\n```")]
            pub const KNOWN: &'static [Self] = &[$(Self::$konst),+];

            /// Full protobuf name of this enum.
            #[doc = concat!($fence, "\nassert_eq!(", $path, "::", stringify!($name), "::PROTO_NAME, \"", $proto, "\");\n```")]
            pub const PROTO_NAME: &'static str = $proto;

            /// Wraps any number, known or not.
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("let number = ", stringify!($name), "::", stringify!($example), ".as_i32();\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_i32(number), ", stringify!($name), "::", stringify!($example), ");\n")]
            #[doc = concat!("assert!(!", stringify!($name), "::from_i32(-7).is_known());\n```")]
            pub const fn from_i32(value: i32) -> Self {
                Self(value)
            }

            /// The number carried on the wire.
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_i32(1234).as_i32(), 1234);\n```")]
            pub const fn as_i32(self) -> i32 {
                self.0
            }

            /// The name of the value in the `.proto` file, or `None` for a
            /// number this version of the crate does not know.
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::", stringify!($example), ".as_str_name(), ::core::option::Option::Some(\"", $example_text, "\"));\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_i32(1234).as_str_name(), None);\n```")]
            pub const fn as_str_name(self) -> ::core::option::Option<&'static str> {
                #[allow(unreachable_patterns)]
                match self.0 {
                    $($num => ::core::option::Option::Some($text),)+
                    _ => ::core::option::Option::None,
                }
            }

            /// The value with this exact `.proto` name (names are
            /// case-sensitive).
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_str_name(\"", $example_text, "\"), ::core::option::Option::Some(", stringify!($name), "::", stringify!($example), "));\n")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_str_name(\"", $example_text, "_x\"), None);\n```")]
            pub fn from_str_name(name: &str) -> ::core::option::Option<Self> {
                match name {
                    $($text => ::core::option::Option::Some(Self::$konst),)+
                    _ => ::core::option::Option::None,
                }
            }

            /// Whether the number is one of the values this crate knows.
            #[doc = concat!($fence, "\nuse ", $path, "::", stringify!($name), ";\n")]
            #[doc = concat!("assert!(", stringify!($name), "::", stringify!($example), ".is_known());\n")]
            #[doc = concat!("assert!(!", stringify!($name), "::from_i32(i32::MAX).is_known());\n```")]
            pub const fn is_known(self) -> bool {
                self.as_str_name().is_some()
            }
        }

        /// Prints the name, or the number when it is not known.
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.as_str_name() {
                    ::core::option::Option::Some(name) => f.write_str(name),
                    None => write!(f, "{}", self.0),
                }
            }
        }

        /// Shows the constant's name, or the raw number for an unknown value.
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.as_str_name() {
                    ::core::option::Option::Some(name) => write!(f, "{}::{}", stringify!($name), name),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        /// Parses a `.proto` name or a decimal number (any `i32`).
        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownEnumName;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                if let ::core::option::Option::Some(known) = Self::from_str_name(text) {
                    return ::core::result::Result::Ok(known);
                }
                text.parse::<i32>()
                    .map(Self)
                    .map_err(|_| $crate::UnknownEnumName::new($proto, text))
            }
        }

        impl ::core::convert::From<i32> for $name {
            fn from(value: i32) -> Self {
                Self(value)
            }
        }

        impl ::core::convert::From<$name> for i32 {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::core::cmp::PartialEq<i32> for $name {
            fn eq(&self, other: &i32) -> bool {
                self.0 == *other
            }
        }

        impl ::core::cmp::PartialEq<$name> for i32 {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}
