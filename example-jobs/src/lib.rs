//! A user's crate as `cancelwire-build` generates it: the `my.jobs.v1`
//! messages, with cancelwire's JSON, open enums and registry, referring to
//! cancelwire's own `Timestamp`, `Status` and `Code`.
//!
//! ```
//! use cancelwire::json::JsonOptions;
//! use cancelwire::longrunning::Operation;
//! use cancelwire::registry::Registry;
//! use example_jobs::my::jobs::v1::{JobProgress, job_progress::Phase, register_types};
//!
//! let progress = JobProgress {
//!     job_id: "job-7".into(),
//!     phase: Phase::RUNNING.into(),
//!     fraction_done: 0.5,
//!     ..Default::default()
//! };
//! let mut operation = Operation { name: "operations/job-7".into(), ..Default::default() };
//! operation.set_metadata(&progress);
//!
//! // The registry knows cancelwire's types; `register_types` adds ours.
//! let mut registry = Registry::default();
//! register_types(&mut registry);
//! let options = JsonOptions::new().registry(registry);
//!
//! let json = options.to_string(&operation)?;
//! let expected = serde_json::json!({
//!     "name": "operations/job-7",
//!     "metadata": {
//!         "@type": "type.googleapis.com/my.jobs.v1.JobProgress",
//!         "jobId": "job-7",
//!         "phase": "PHASE_RUNNING",
//!         "fractionDone": 0.5
//!     }
//! });
//! assert_eq!(serde_json::from_str::<serde_json::Value>(&json)?, expected);
//! let back: Operation = options.from_str(&json)?;
//! assert_eq!(back, operation);
//! assert_eq!(back.metadata.unwrap().to_msg::<JobProgress>()?, progress);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The generated packages, one module per package segment (`my::jobs::v1`),
// as the include file that `cancelwire-build` writes lays them out.
include!(concat!(env!("OUT_DIR"), "/protos.rs"));
