//! Conversions to and from other crates' types, each behind its own cargo
//! feature so the default build depends on none of them:
//!
//! | feature | module | what |
//! |---|---|---|
//! | `tonic` | `integrations::tonic` | `rpc::Status` <-> `tonic::Status` through `grpc-status-details-bin`, `rpc::Code` <-> `tonic::Code` |
//! | `http` | `integrations::http` | `rpc::Code` <-> `http::StatusCode` |
//! | `arrow-flight` | `integrations::arrow_flight` | every Flight message of this crate <-> the `arrow-flight` crate's |

#[cfg(feature = "arrow-flight")]
#[cfg_attr(docsrs, doc(cfg(feature = "arrow-flight")))]
pub mod arrow_flight;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
#[cfg(feature = "tonic")]
#[cfg_attr(docsrs, doc(cfg(feature = "tonic")))]
pub mod tonic;
