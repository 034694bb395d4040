//! Settings that would make the server unsafe or crash later are refused at start, with the
//! variable named, before anything listens.

use std::process::{Command, Stdio};

fn start_with(env: &[(&str, &str)]) -> (bool, String) {
    let dir = std::env::temp_dir().join(crm_test_support::unique("crm_e2e_config"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crm"));
    cmd.env("CRM_LISTEN", "127.0.0.1:0")
        .env("CRM_DATA_DIR", &dir)
        .env("CRM_MODEL", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the crm binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_short_jwt_secret_is_refused_at_start() {
    let (ok, stderr) = start_with(&[("CRM_JWT_SECRET", "too-short-secret")]);
    assert!(!ok, "the server must not start");
    assert!(stderr.contains("CRM_JWT_SECRET"), "{stderr}");
    assert!(stderr.contains("at least 32"), "{stderr}");
}

#[test]
fn token_lifetimes_out_of_range_are_refused_at_start() {
    for (name, value) in [
        ("CRM_ACCESS_TOKEN_TTL_SECS", "99999999999"),
        ("CRM_REFRESH_TOKEN_TTL_DAYS", "100000"),
        ("CRM_ACCESS_TOKEN_TTL_SECS", "0"),
    ] {
        let (ok, stderr) = start_with(&[(name, value)]);
        assert!(!ok, "{name}={value} must not start the server");
        assert!(stderr.contains(name), "{stderr}");
    }
}
