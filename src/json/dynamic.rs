//! ProtoJSON for messages whose type is known only at run time: the JSON
//! methods of the registry's types live here, so the registry itself needs
//! nothing from this module.

use super::{JsonError, JsonOptions};
use crate::registry::{DynMessage, MessageType};

impl MessageType {
    /// Parses ProtoJSON text as this type.
    ///
    /// ```
    /// use cancelwire::json::JsonOptions;
    ///
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("google.protobuf.Duration").unwrap();
    /// let duration = ty.parse_json(r#""1.5s""#, &JsonOptions::new())?;
    /// assert_eq!(duration.to_binary(), [0x08, 0x01, 0x10, 0x80, 0xca, 0xb5, 0xee, 0x01]);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn parse_json(
        &self,
        text: &str,
        options: &JsonOptions,
    ) -> Result<Box<dyn DynMessage>, JsonError> {
        options.run(
            || self.full_name().to_owned(),
            false,
            || {
                options.check_length(text)?;
                (self.parse_json)(text)
            },
        )
    }
}

impl dyn DynMessage {
    /// The message as ProtoJSON under `options`, compact or indented by two
    /// spaces.
    ///
    /// ```
    /// use cancelwire::json::JsonOptions;
    /// use cancelwire::registry::DynMessage;
    ///
    /// let status: Box<dyn DynMessage> = Box::new(cancelwire::rpc::Status { code: 5, ..Default::default() });
    /// assert_eq!(status.to_json(&JsonOptions::new(), false)?, r#"{"code":5}"#);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn to_json(&self, options: &JsonOptions, pretty: bool) -> Result<String, JsonError> {
        options.run(|| self.message_name(), true, || self.print_json(pretty))
    }
}
