//! Decode budgets: how much a single decode may take of what the input
//! asks for, for binary ([`crate::decode_with`], the registry's
//! `decode_with`) and JSON ([`crate::json::JsonOptions::budget`]).
//!
//! Every limit counts something the input controls and that costs memory
//! beyond its own bytes: nesting (stack and one message per level), the
//! input's length, and elements (entries of repeated message fields and
//! of maps, unknown fields, `Struct` and `ListValue` values, JSON array
//! entries of repeated fields), each of which becomes a record of its own.
//! Exceeding one is a typed error, [`BudgetExceeded`], that names the
//! budget, its limit and the field path where it ran out.

use std::fmt;

/// Limits for one decode. The defaults are far above what any message of
/// the protobuf conformance suite or this crate's vectors comes near (the
/// largest of them are a few kilobytes, with a few hundred elements), and
/// low enough that a hostile input can cost a server no more than a bounded
/// multiple of the limits.
///
/// ```
/// use cancelwire::DecodeBudget;
///
/// let budget = DecodeBudget::new();
/// assert_eq!(budget.depth(), 100);
/// assert_eq!(budget.input_bytes(), 64 << 20);
/// assert_eq!(budget.elements(), 1 << 20);
/// let tight = budget.max_elements(10).max_input_bytes(1024).max_depth(5);
/// assert_eq!((tight.depth(), tight.input_bytes(), tight.elements()), (5, 1024, 10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeBudget {
    depth: u32,
    input_bytes: usize,
    elements: u64,
}

impl Default for DecodeBudget {
    fn default() -> Self {
        Self::new()
    }
}

impl DecodeBudget {
    /// How deep messages (and map entries, and unknown groups) may nest
    /// below the top-level one by default: protobuf's usual recursion
    /// limit, which `cancelwire::decode` always applies.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::DEFAULT_MAX_DEPTH, 100);
    /// ```
    pub const DEFAULT_MAX_DEPTH: u32 = 100;

    /// The longest input by default: 64 MiB, sixteen times gRPC's default
    /// message limit.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::DEFAULT_MAX_INPUT_BYTES, 67_108_864);
    /// ```
    pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 << 20;

    /// How many elements one decode may create by default: 1,048,576.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::DEFAULT_MAX_ELEMENTS, 1_048_576);
    /// ```
    pub const DEFAULT_MAX_ELEMENTS: u64 = 1 << 20;

    /// The default limits.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new(), cancelwire::DecodeBudget::default());
    /// ```
    pub const fn new() -> Self {
        Self {
            depth: Self::DEFAULT_MAX_DEPTH,
            input_bytes: Self::DEFAULT_MAX_INPUT_BYTES,
            elements: Self::DEFAULT_MAX_ELEMENTS,
        }
    }

    /// No limit on length or elements, nesting at the default depth (a
    /// deeper recursion is a risk to the stack, not only to memory): what
    /// `cancelwire::decode` applies.
    ///
    /// ```
    /// let all = cancelwire::DecodeBudget::unlimited();
    /// assert_eq!(all.elements(), u64::MAX);
    /// assert_eq!(all.depth(), 100);
    /// ```
    pub const fn unlimited() -> Self {
        Self {
            depth: Self::DEFAULT_MAX_DEPTH,
            input_bytes: usize::MAX,
            elements: u64::MAX,
        }
    }

    /// The nesting limit: levels below the top-level message.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new().max_depth(3).depth(), 3);
    /// ```
    pub const fn max_depth(mut self, levels: u32) -> Self {
        self.depth = levels;
        self
    }

    /// The longest input, in bytes (JSON: of its text).
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new().max_input_bytes(9).input_bytes(), 9);
    /// ```
    pub const fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.input_bytes = bytes;
        self
    }

    /// The most elements: repeated message entries, map entries, unknown
    /// fields, `Struct` and `ListValue` values, JSON array entries.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new().max_elements(7).elements(), 7);
    /// ```
    pub const fn max_elements(mut self, elements: u64) -> Self {
        self.elements = elements;
        self
    }

    /// The nesting limit.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new().depth(), 100);
    /// ```
    pub const fn depth(&self) -> u32 {
        self.depth
    }

    /// The input length limit.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::unlimited().input_bytes(), usize::MAX);
    /// ```
    pub const fn input_bytes(&self) -> usize {
        self.input_bytes
    }

    /// The element limit.
    ///
    /// ```
    /// assert_eq!(cancelwire::DecodeBudget::new().elements(), 1 << 20);
    /// ```
    pub const fn elements(&self) -> u64 {
        self.elements
    }
}

/// Which limit of a [`DecodeBudget`] an input went past.
///
/// ```
/// assert_eq!(cancelwire::Budget::Elements.to_string(), "elements");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Budget {
    /// Nesting depth.
    Depth,
    /// Input length.
    InputBytes,
    /// Repeated and map entries, unknown fields, `Struct` values.
    Elements,
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Budget::Depth => "depth",
            Budget::InputBytes => "input bytes",
            Budget::Elements => "elements",
        })
    }
}

/// An input that went past a limit of its [`DecodeBudget`]: which one, the
/// limit, and where (the field path from the top-level message, empty for
/// the input's length).
///
/// ```
/// use cancelwire::{Budget, DecodeBudget};
/// use cancelwire::rpc::Status;
///
/// // Three `details` entries, one more than allowed.
/// let wire = bytes::Bytes::from_static(&[0x1a, 0x00, 0x1a, 0x00, 0x1a, 0x00]);
/// let err = cancelwire::decode_with::<Status>(wire, &DecodeBudget::new().max_elements(2)).unwrap_err();
/// let exceeded = err.budget_exceeded().unwrap();
/// assert_eq!(exceeded.budget(), Budget::Elements);
/// assert_eq!(exceeded.limit(), 2);
/// assert_eq!(exceeded.path(), "google.rpc.Status.details");
/// assert!(err.to_string().contains("elements budget of 2"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetExceeded {
    budget: Budget,
    limit: u64,
    path: String,
}

impl BudgetExceeded {
    pub(crate) fn new(budget: Budget, limit: u64, path: String) -> Self {
        Self {
            budget,
            limit,
            path,
        }
    }

    /// Which limit.
    ///
    /// ```
    /// # use cancelwire::{Budget, DecodeBudget};
    /// let err = cancelwire::decode_with::<cancelwire::rpc::Status>(
    ///     bytes::Bytes::from_static(&[0x08, 0x01]), &DecodeBudget::new().max_input_bytes(1)).unwrap_err();
    /// assert_eq!(err.budget_exceeded().unwrap().budget(), Budget::InputBytes);
    /// ```
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// The limit that was reached.
    ///
    /// ```
    /// # use cancelwire::DecodeBudget;
    /// let err = cancelwire::decode_with::<cancelwire::rpc::Status>(
    ///     bytes::Bytes::from_static(&[0x08, 0x01]), &DecodeBudget::new().max_input_bytes(1)).unwrap_err();
    /// assert_eq!(err.budget_exceeded().unwrap().limit(), 1);
    /// ```
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The field path where it was reached, outermost first, like
    /// `google.rpc.Status.details` (empty for the input's length).
    ///
    /// ```
    /// # use cancelwire::DecodeBudget;
    /// let err = cancelwire::decode_with::<cancelwire::rpc::Status>(
    ///     bytes::Bytes::from_static(&[0x08, 0x01]), &DecodeBudget::new().max_input_bytes(1)).unwrap_err();
    /// assert_eq!(err.budget_exceeded().unwrap().path(), "");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "over the {} budget of {}", self.budget, self.limit)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for BudgetExceeded {}
