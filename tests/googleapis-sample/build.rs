//! Generates the sample of googleapis named in `PACKAGES` from the copy at
//! `GOOGLEAPIS_DIR` (without its `google/protobuf/`), every package in one
//! run, with the module tree, the registrations and the descriptor set.

use std::path::PathBuf;
use std::{env, fs};

/// Directories of googleapis, spread across products: the Firestore Admin
/// API that made prost-build panic, Spanner, Cloud Storage's `Filter`
/// oneof, Service Management (which uses `google.protobuf.Api`), ...
const PACKAGES: &[&str] = &[
    "google/api/apikeys/v2",
    "google/api/servicemanagement/v1",
    "google/api/serviceusage/v1",
    "google/apps/events/subscriptions/v1",
    "google/cloud/apigateway/v1",
    "google/cloud/batch/v1",
    "google/cloud/datafusion/v1",
    "google/cloud/domains/v1",
    "google/cloud/filestore/v1",
    "google/cloud/functions/v2",
    "google/cloud/ids/v1",
    "google/cloud/lustre/v1",
    "google/cloud/memcache/v1",
    "google/cloud/parallelstore/v1",
    "google/cloud/redis/v1",
    "google/cloud/securityposture/v1",
    "google/cloud/shell/v1",
    "google/cloud/speech/v1",
    "google/cloud/storageinsights/v1",
    "google/cloud/texttospeech/v1",
    "google/cloud/tpu/v2",
    "google/cloud/vpcaccess/v1",
    "google/cloud/webrisk/v1",
    "google/cloud/workflows/v1",
    "google/cloud/workloadidentity/v1",
    "google/datastore/admin/v1",
    "google/devtools/cloudbuild/v2",
    "google/firestore/admin/v1",
    "google/iam/v2",
    "google/monitoring/metricsscope/v1",
    "google/spanner/admin/database/v1",
    "google/storage/control/v2",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-env-changed=GOOGLEAPIS_DIR");
    let root = PathBuf::from(env::var_os("GOOGLEAPIS_DIR").ok_or(
        "GOOGLEAPIS_DIR must name an unpacked npm google-proto-files (scripts/googleapis fetches it)",
    )?);
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let mut files = Vec::new();
    for package in PACKAGES {
        for entry in fs::read_dir(root.join(package))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "proto") {
                files.push(path);
            }
        }
    }
    files.sort();
    let generated = cancelwire_build::Builder::new()
        .include(&root)
        .grpc(true)
        .include_file("googleapis.rs")
        .file_descriptor_set_path(out_dir.join("descriptors.binpb"))
        .compile(&files)?;
    // One call that registers every generated package.
    let calls: String = generated
        .packages()
        .iter()
        .map(|p| {
            let module: Vec<String> = p
                .split('.')
                .map(|s| {
                    if s == "type" {
                        "r#type".to_owned()
                    } else {
                        s.to_owned()
                    }
                })
                .collect();
            format!(
                "    crate::{}::register_types(registry);\n",
                module.join("::")
            )
        })
        .collect();
    fs::write(
        out_dir.join("register_all.rs"),
        format!(
            "/// Registers every generated message.\n\
             pub fn register_all(registry: &mut cancelwire::registry::Registry) {{\n{calls}}}\n"
        ),
    )?;
    fs::write(
        out_dir.join("packages.txt"),
        generated.packages().join("\n"),
    )?;
    Ok(())
}
