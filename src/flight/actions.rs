//! The two DoAction actions of Flight's cancellation protocol:
//! `CancelFlightInfo` and `RenewFlightEndpoint`, their `Action` and
//! `Result` bodies, and their `ActionType`s for ListActions.

use super::{
    Action, ActionType, CancelFlightInfoRequest, CancelFlightInfoResult, FlightEndpoint,
    RenewFlightEndpointRequest, Result as FlightResult,
};
use crate::DecodeError;
use prost::{Message, Name};

/// `Action.type` of the request that cancels a running query
/// (body [`CancelFlightInfoRequest`], one result [`CancelFlightInfoResult`]).
///
/// ```
/// assert_eq!(cancelwire::flight::CANCEL_FLIGHT_INFO, "CancelFlightInfo");
/// ```
pub const CANCEL_FLIGHT_INFO: &str = "CancelFlightInfo";

/// `Action.type` of the request that extends an endpoint's expiration time
/// (body [`RenewFlightEndpointRequest`], one result: the renewed
/// [`FlightEndpoint`]).
///
/// ```
/// assert_eq!(cancelwire::flight::RENEW_FLIGHT_ENDPOINT, "RenewFlightEndpoint");
/// ```
pub const RENEW_FLIGHT_ENDPOINT: &str = "RenewFlightEndpoint";

/// Why an `Action` or a `Result` is not the expected request or response.
///
/// ```
/// use cancelwire::flight::{Action, ActionError, CancelFlightInfoRequest, FlightAction};
///
/// let action = Action { r#type: "DropTable".into(), body: Default::default(), ..Default::default() };
/// let err = CancelFlightInfoRequest::from_action(&action).unwrap_err();
/// assert_eq!(err, ActionError::WrongType { expected: "CancelFlightInfo", found: "DropTable".into() });
/// assert_eq!(err.to_string(), "Action.type is `DropTable`, expected `CancelFlightInfo`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActionError {
    /// `Action.type` names another action.
    WrongType {
        /// The action type asked for.
        expected: &'static str,
        /// The `Action.type` received.
        found: String,
    },
    /// `Action.body` or `Result.body` is not a valid encoding of the message.
    InvalidBody {
        /// `"Action.body"` or `"Result.body"`.
        field: &'static str,
        /// The action the body belongs to.
        action: &'static str,
        /// What the decoder said, naming the message type.
        source: DecodeError,
    },
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongType { expected, found } => {
                write!(f, "Action.type is `{found}`, expected `{expected}`")
            }
            Self::InvalidBody {
                field,
                action,
                source,
            } => write!(f, "{field} of `{action}`: {source}"),
        }
    }
}

impl std::error::Error for ActionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::WrongType { .. } => None,
            Self::InvalidBody { source, .. } => Some(source),
        }
    }
}

/// A request message that travels in `Action.body` under a fixed
/// `Action.type`, answered by one `Result` whose body is a
/// [`FlightAction::Response`].
///
/// ```
/// use cancelwire::flight::{CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, FlightAction, FlightInfo};
///
/// // Client side: build the action.
/// let request = CancelFlightInfoRequest { info: Some(FlightInfo::default()), ..Default::default() };
/// let action = request.to_action();
/// assert_eq!(action.r#type, "CancelFlightInfo");
///
/// // Server side: parse it and answer.
/// let received = CancelFlightInfoRequest::from_action(&action)?;
/// assert_eq!(received, request);
/// let mut answer = CancelFlightInfoResult::default();
/// answer.set_status(CancelStatus::CANCELLED);
/// let result = CancelFlightInfoRequest::response_to_result(&answer);
///
/// // Client side: read the answer.
/// let status = CancelFlightInfoRequest::response_from_result(&result)?.status();
/// assert_eq!(status, CancelStatus::CANCELLED);
/// # Ok::<(), cancelwire::flight::ActionError>(())
/// ```
pub trait FlightAction: Message + Name + Default + Sized {
    /// `Action.type`.
    ///
    /// ```
    /// use cancelwire::flight::{CancelFlightInfoRequest, FlightAction};
    ///
    /// assert_eq!(CancelFlightInfoRequest::TYPE, "CancelFlightInfo");
    /// ```
    const TYPE: &'static str;

    /// A one-line description for `ActionType.description`.
    ///
    /// ```
    /// use cancelwire::flight::{FlightAction, RenewFlightEndpointRequest};
    ///
    /// assert!(RenewFlightEndpointRequest::DESCRIPTION.contains("FlightEndpoint"));
    /// ```
    const DESCRIPTION: &'static str;

    /// The message in the body of the `Result` that answers the action.
    ///
    /// ```
    /// use cancelwire::flight::{FlightAction, FlightEndpoint, RenewFlightEndpointRequest};
    ///
    /// let renewed: <RenewFlightEndpointRequest as FlightAction>::Response = FlightEndpoint::default();
    /// assert!(renewed.ticket.is_none());
    /// ```
    type Response: Message + Name + Default;

    /// The `ActionType` a server lists in ListActions for this action.
    ///
    /// ```
    /// use cancelwire::flight::{FlightAction, RenewFlightEndpointRequest};
    ///
    /// assert_eq!(RenewFlightEndpointRequest::action_type().r#type, "RenewFlightEndpoint");
    /// ```
    fn action_type() -> ActionType {
        ActionType {
            r#type: Self::TYPE.to_owned(),
            description: Self::DESCRIPTION.to_owned(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }

    /// The `Action` that carries this request.
    ///
    /// ```
    /// use cancelwire::flight::{CancelFlightInfoRequest, FlightAction};
    /// use prost::Message;
    ///
    /// let request = CancelFlightInfoRequest::default();
    /// let action = request.to_action();
    /// assert_eq!(action.body, request.encode_to_vec());
    /// ```
    fn to_action(&self) -> Action {
        Action {
            r#type: Self::TYPE.to_owned(),
            body: self.encode_to_vec().into(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }

    /// Parses the request out of an `Action`, checking its type first. The
    /// body is decoded from a clone of its `Bytes`, so `bytes` fields of
    /// the request share the action's buffer.
    ///
    /// ```
    /// use cancelwire::flight::{Action, ActionError, FlightAction, RenewFlightEndpointRequest};
    ///
    /// let action = Action { r#type: "RenewFlightEndpoint".into(), body: vec![0x0a, 0x09].into(), ..Default::default() };
    /// let err = RenewFlightEndpointRequest::from_action(&action).unwrap_err();
    /// assert!(matches!(err, ActionError::InvalidBody { field: "Action.body", .. }));
    /// ```
    fn from_action(action: &Action) -> Result<Self, ActionError> {
        if action.r#type != Self::TYPE {
            return Err(ActionError::WrongType {
                expected: Self::TYPE,
                found: action.r#type.clone(),
            });
        }
        crate::decode(action.body.clone()).map_err(|source| ActionError::InvalidBody {
            field: "Action.body",
            action: Self::TYPE,
            source,
        })
    }

    /// The `Result` that carries the response to this action.
    ///
    /// ```
    /// use cancelwire::flight::{CancelFlightInfoRequest, CancelFlightInfoResult, FlightAction};
    ///
    /// let result = CancelFlightInfoRequest::response_to_result(&CancelFlightInfoResult { status: 2, ..Default::default() });
    /// assert_eq!(&result.body[..], [0x08, 0x02]);
    /// ```
    fn response_to_result(response: &Self::Response) -> FlightResult {
        FlightResult {
            body: response.encode_to_vec().into(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }

    /// Parses the response out of the `Result` of this action.
    ///
    /// ```
    /// use cancelwire::flight::{CancelFlightInfoRequest, FlightAction, Result};
    ///
    /// let result = Result { body: vec![0x08].into(), ..Default::default() }; // truncated varint
    /// assert!(CancelFlightInfoRequest::response_from_result(&result).is_err());
    /// ```
    fn response_from_result(result: &FlightResult) -> Result<Self::Response, ActionError> {
        crate::decode(result.body.clone()).map_err(|source| ActionError::InvalidBody {
            field: "Result.body",
            action: Self::TYPE,
            source,
        })
    }
}

impl FlightAction for CancelFlightInfoRequest {
    const TYPE: &'static str = CANCEL_FLIGHT_INFO;
    const DESCRIPTION: &'static str = "Cancel the query behind a FlightInfo. Request: CancelFlightInfoRequest; result: CancelFlightInfoResult.";
    type Response = CancelFlightInfoResult;
}

impl FlightAction for RenewFlightEndpointRequest {
    const TYPE: &'static str = RENEW_FLIGHT_ENDPOINT;
    const DESCRIPTION: &'static str = "Extend the expiration time of a FlightEndpoint. Request: RenewFlightEndpointRequest; result: the renewed FlightEndpoint.";
    type Response = FlightEndpoint;
}

/// The `ActionType`s of the two cancellation-protocol actions, for a server
/// to include in its ListActions stream.
///
/// ```
/// let listed: Vec<String> = cancelwire::flight::cancellation_action_types()
///     .into_iter()
///     .map(|action_type| action_type.r#type)
///     .collect();
/// assert_eq!(listed, ["CancelFlightInfo", "RenewFlightEndpoint"]);
/// ```
pub fn cancellation_action_types() -> Vec<ActionType> {
    vec![
        CancelFlightInfoRequest::action_type(),
        RenewFlightEndpointRequest::action_type(),
    ]
}
