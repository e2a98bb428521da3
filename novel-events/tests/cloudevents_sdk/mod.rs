//! Runs the CloudEvents SDK for Python (`sdk.py` beside this file, in the virtual environment
//! that `bash scripts/interop.sh` installs): one JSON request in, one JSON answer out.
//! Shared by the runtime's and the JetStream bus's interop tests.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The SDK's answer to `request`, or the test fails saying what went wrong (a missing
/// environment points at `bash scripts/interop.sh`; an SDK exception is shown whole).
pub fn sdk(request: &Value) -> Value {
    match try_sdk(request) {
        Ok(answer) => answer,
        Err(error) => panic!("the CloudEvents SDK for Python failed: {error}"),
    }
}

/// The SDK's answer, or its error output (an exception it raised).
pub fn try_sdk(request: &Value) -> Result<Value, String> {
    let python = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/interop/.venv/bin/python"
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../novel-events/tests/cloudevents_sdk/sdk.py"
    );
    assert!(
        std::path::Path::new(python).exists(),
        "{python} is missing: run `bash scripts/interop.sh` to install the CloudEvents SDK for Python"
    );
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{python}: {error}; run `bash scripts/interop.sh`"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("ModuleNotFoundError"),
            "{stderr}\nrun `bash scripts/interop.sh` to install the CloudEvents SDK for Python"
        );
        return Err(stderr.into_owned());
    }
    Ok(serde_json::from_slice(&output.stdout).expect("the SDK script answers JSON"))
}
