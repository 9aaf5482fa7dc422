//! The sandbox's command-line flags, written once: the `paystack-sandbox` binary parses its
//! arguments here, and `paystack-rs sandbox` hands its own to the same parser through the
//! extension, so the two commands take the same flags with the same defaults (those of
//! [`SandboxConfig::default`], shown in the help, never restated).

use crate::config::SandboxConfig;
use crate::faults::FaultConfig;

/// One flag: its name, the placeholder of its value, what it does, and the field it sets.
#[derive(Debug)]
pub struct Flag {
    /// `--port`.
    pub name: &'static str,
    /// The placeholder of the value in the usage, `N`.
    pub value: &'static str,
    /// What it does, without its default (added from `SandboxConfig::default()`).
    pub help: &'static str,
    /// The `SandboxConfig` field it sets (`None` for `--config`, which sets them all).
    pub field: Option<&'static str>,
    apply: fn(&mut SandboxConfig, String) -> Result<(), String>,
    default: fn(&SandboxConfig) -> Option<String>,
}

/// What the arguments ask for.
#[derive(Debug)]
pub enum Parsed {
    /// Run a sandbox with this configuration.
    Run(Box<SandboxConfig>),
    /// `-h` / `--help`: print [`usage`].
    Help,
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value.trim().parse::<T>().map_err(|_| format!("{name} needs a non-negative integer, got {value:?}"))
}

/// JSON given inline, or read from a file when it does not start like JSON (`--config sandbox.json`).
fn json_or_file(name: &str, value: &str, starts: &[char]) -> Result<String, String> {
    let trimmed = value.trim_start();
    if trimmed.starts_with(starts) {
        return Ok(value.to_owned());
    }
    std::fs::read_to_string(value).map_err(|e| format!("{name}: {value:?} is neither JSON nor a readable file ({e})"))
}

fn shown<T: ToString>(value: T) -> Option<String> {
    Some(value.to_string())
}

/// Every flag, in the order the usage lists them.
pub const FLAGS: &[Flag] = &[
    Flag {
        name: "--port",
        value: "N",
        help: "port to listen on (0: a free port)",
        field: Some("port"),
        apply: |c, v| {
            c.port = number::<u16>("--port", &v)
                .map_err(|_| format!("--port needs a port number below 65536, got {v:?}"))?;
            Ok(())
        },
        default: |c| shown(c.port),
    },
    Flag {
        name: "--host",
        value: "H",
        help: "address to bind",
        field: Some("host"),
        apply: |c, v| {
            c.host = v;
            Ok(())
        },
        default: |c| shown(&c.host),
    },
    Flag {
        name: "--secret-key",
        value: "K",
        help: "the key it reports (any well-formed sk_test_/sk_live_ key works unless --key is given)",
        field: Some("secret_key"),
        apply: |c, v| {
            c.secret_key = v;
            Ok(())
        },
        // The default key is public (docs/sandbox.md), but a key is never printed: "the default".
        default: |_| None,
    },
    Flag {
        name: "--key",
        value: "K",
        help: "accept only this key (repeat for more); every other key is a 401 Invalid key, as on Paystack",
        field: Some("keys"),
        apply: |c, v| {
            c.keys.push(v);
            Ok(())
        },
        default: |_| None,
    },
    Flag {
        name: "--process-interval-ms",
        value: "N",
        help: "time between two charges of a bulk-charge batch (0: as fast as possible)",
        field: Some("process_interval_ms"),
        apply: |c, v| {
            c.process_interval_ms = number("--process-interval-ms", &v)?;
            Ok(())
        },
        default: |c| shown(c.process_interval_ms),
    },
    Flag {
        name: "--webhook-url",
        value: "URL",
        help: "where charge.success webhooks go (default: none are sent)",
        field: Some("webhook_url"),
        apply: |c, v| {
            c.webhook_url = Some(v);
            Ok(())
        },
        default: |_| None,
    },
    Flag {
        name: "--webhook-retry-interval-ms",
        value: "N",
        help: "time between two delivery attempts of a webhook",
        field: Some("webhook_retry_interval_ms"),
        apply: |c, v| {
            c.webhook_retry_interval_ms = number("--webhook-retry-interval-ms", &v)?;
            Ok(())
        },
        default: |c| shown(c.webhook_retry_interval_ms),
    },
    Flag {
        name: "--webhook-max-attempts",
        value: "N",
        help: "delivery attempts per webhook, the first included",
        field: Some("webhook_max_attempts"),
        apply: |c, v| {
            c.webhook_max_attempts = number("--webhook-max-attempts", &v)?;
            Ok(())
        },
        default: |c| shown(c.webhook_max_attempts),
    },
    Flag {
        name: "--webhook-timeout-ms",
        value: "N",
        help: "timeout of one delivery attempt",
        field: Some("webhook_timeout_ms"),
        apply: |c, v| {
            c.webhook_timeout_ms = number("--webhook-timeout-ms", &v)?;
            Ok(())
        },
        default: |c| shown(c.webhook_timeout_ms),
    },
    Flag {
        name: "--payment-session-timeout-ms",
        value: "N",
        help: "how long a checkout page stays open after initialize (0: no limit)",
        field: Some("payment_session_timeout_ms"),
        apply: |c, v| {
            c.payment_session_timeout_ms = number("--payment-session-timeout-ms", &v)?;
            Ok(())
        },
        default: |c| shown(c.payment_session_timeout_ms),
    },
    Flag {
        name: "--start",
        value: "WHEN",
        help: "start the clock at this instant, e.g. 2024-08-01T09:00:00Z; tests move it with POST /_sandbox/clock/advance (default: real time)",
        field: Some("start"),
        apply: |c, v| {
            c.start = Some(v);
            Ok(())
        },
        default: |_| None,
    },
    Flag {
        name: "--seed",
        value: "S",
        help: "seed of generated ids, codes and fault decisions",
        field: Some("seed"),
        apply: |c, v| {
            c.seed = number("--seed", &v)?;
            Ok(())
        },
        default: |c| shown(c.seed),
    },
    Flag {
        name: "--faults",
        value: "JSON",
        help: "fault rules as JSON, or a file of them, e.g. '[{\"kind\":\"error\",\"status\":503,\"rate\":0.1}]'",
        field: Some("faults"),
        apply: |c, v| {
            let text = json_or_file("--faults", &v, &['[', '{'])?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("--faults: {e}"))?;
            c.faults = FaultConfig::from_value(json).map_err(|e| format!("--faults: {e}"))?;
            Ok(())
        },
        default: |_| None,
    },
    Flag {
        name: "--request-log-limit",
        value: "N",
        help: "requests kept in each integration's request log (0: no log)",
        field: Some("request_log_limit"),
        apply: |c, v| {
            c.request_log_limit = number("--request-log-limit", &v)?;
            Ok(())
        },
        default: |c| shown(c.request_log_limit),
    },
    Flag {
        name: "--export-ttl-ms",
        value: "N",
        help: "how long an export URL stays valid",
        field: Some("export_ttl_ms"),
        apply: |c, v| {
            c.export_ttl_ms = number("--export-ttl-ms", &v)?;
            Ok(())
        },
        default: |c| shown(c.export_ttl_ms),
    },
    Flag {
        name: "--worker-threads",
        value: "N",
        help: "worker threads of the server (0: one per CPU)",
        field: Some("worker_threads"),
        apply: |c, v| {
            c.worker_threads = number("--worker-threads", &v)?;
            Ok(())
        },
        default: |c| shown(c.worker_threads),
    },
    Flag {
        name: "--config",
        value: "JSON",
        help: "a whole configuration as JSON (snake_case names of the flags above), or a file of it; \
               flags after it override it",
        field: None,
        apply: |c, v| {
            let text = json_or_file("--config", &v, &['{'])?;
            *c = SandboxConfig::from_json(&text).map_err(|e| format!("--config: {e}"))?;
            Ok(())
        },
        default: |_| None,
    },
];

/// Reads the arguments (after the program name): `--flag value` or `--flag=value`, in order, then
/// checks the configuration as a whole. The error names the flag.
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Parsed::Help);
    }
    let mut config = SandboxConfig::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let Some(flag) = FLAGS.iter().find(|f| f.name == name) else {
            return Err(format!("unknown argument {name} (see --help)"));
        };
        let value = match inline {
            Some(value) => value,
            None => rest.next().cloned().ok_or_else(|| format!("{name} needs a value ({})", flag.value))?,
        };
        (flag.apply)(&mut config, value)?;
    }
    config.validate()?;
    Ok(Parsed::Run(Box::new(config)))
}

/// The usage of `program` (`paystack-sandbox`, `paystack-rs sandbox`), every flag with its default.
pub fn usage(program: &str) -> String {
    let defaults = SandboxConfig::default();
    let mut text = format!("usage: {program} [options]\n\nRuns the Paystack sandbox until Ctrl-C (or SIGTERM).\n\n");
    let width = FLAGS.iter().map(|f| f.name.len() + f.value.len() + 1).max().unwrap_or(0);
    for flag in FLAGS {
        let left = format!("{} {}", flag.name, flag.value);
        let default = (flag.default)(&defaults).map(|d| format!(" (default {d})")).unwrap_or_default();
        text.push_str(&format!("  {left:<width$}  {}{default}\n", flag.help));
    }
    text.push_str(
        "\nThe base URL is printed alone on the first line of standard output.\n\
         The secret key is never printed: without --secret-key or --key it is the default key of\n\
         docs/sandbox.md. The control API, fixtures and fault rules are described there too.",
    );
    text
}

/// What the sandbox says on standard error once it listens (the key itself is never shown).
pub fn banner(base_url: &str, config: &SandboxConfig) -> String {
    let which = if config.effective_secret_key() == crate::config::DEFAULT_SECRET_KEY {
        "the default secret key"
    } else {
        "the configured secret key"
    };
    let only =
        if config.keys.is_empty() { String::new() } else { format!("; only {} key(s) accepted", config.keys.len()) };
    format!(
        "paystack sandbox listening on {base_url} ({which}{only}; Ctrl-C stops it)\n\
         dashboard: {base_url}/_sandbox/ (sign in with the key)"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<SandboxConfig, String> {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        match parse(&args)? {
            Parsed::Run(config) => Ok(*config),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn every_setting_has_a_flag() {
        let fields = serde_json::to_value(SandboxConfig::default()).unwrap();
        let fields = fields.as_object().unwrap();
        for name in fields.keys() {
            assert!(FLAGS.iter().any(|f| f.field == Some(name.as_str())), "no flag sets {name}");
        }
        for flag in FLAGS {
            if let Some(field) = flag.field {
                assert!(fields.contains_key(field), "{} sets an unknown field {field}", flag.name);
            }
        }
    }

    #[test]
    fn no_arguments_are_the_defaults() {
        assert_eq!(run(&[]).unwrap(), SandboxConfig::default());
    }

    #[test]
    fn flags_set_their_fields() {
        let config = run(&[
            "--port=0",
            "--webhook-retry-interval-ms",
            "7",
            "--webhook-max-attempts",
            "2",
            "--webhook-timeout-ms=300",
            "--key",
            "sk_test_one",
            "--key",
            "sk_test_two",
            "--faults",
            r#"[{"kind":"error","status":503,"rate":0.5}]"#,
            "--payment-session-timeout-ms",
            "9",
            "--request-log-limit",
            "3",
            "--export-ttl-ms",
            "4",
            "--worker-threads",
            "1",
            "--seed",
            "5",
            "--start",
            "2024-08-01T09:00:00Z",
        ])
        .unwrap();
        assert_eq!(config.start.as_deref(), Some("2024-08-01T09:00:00Z"));
        assert_eq!(config.webhook_retry_interval_ms, 7);
        assert_eq!(config.webhook_max_attempts, 2);
        assert_eq!(config.webhook_timeout_ms, 300);
        assert_eq!(config.keys, ["sk_test_one", "sk_test_two"]);
        assert_eq!(config.faults.rules.len(), 1);
        assert_eq!((config.payment_session_timeout_ms, config.request_log_limit), (9, 3));
        assert_eq!((config.export_ttl_ms, config.worker_threads, config.seed), (4, 1, 5));
    }

    #[test]
    fn config_then_flags_override_it() {
        let config = run(&["--config", r#"{"seed": 3, "process_interval_ms": 9}"#, "--seed", "4"]).unwrap();
        assert_eq!((config.seed, config.process_interval_ms), (4, 9));
    }

    #[test]
    fn config_and_faults_from_files() {
        let dir = std::env::temp_dir().join(format!("paystack-sandbox-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.json");
        std::fs::write(&config, r#"{"webhook_max_attempts": 3}"#).unwrap();
        let faults = dir.join("faults.json");
        std::fs::write(&faults, r#"{"seed": 2, "rules": [{"kind": "latency", "ms": 5}]}"#).unwrap();
        let parsed = run(&["--config", config.to_str().unwrap(), "--faults", faults.to_str().unwrap()]).unwrap();
        assert_eq!(parsed.webhook_max_attempts, 3);
        assert_eq!(parsed.faults.seed, Some(2));
        let missing = run(&["--config", dir.join("nope.json").to_str().unwrap()]).unwrap_err();
        assert!(missing.starts_with("--config: ") && missing.contains("neither JSON nor a readable file"), "{missing}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn errors_name_the_flag() {
        for (args, wanted) in [
            (&["--port", "70000"][..], "--port needs a port number below 65536"),
            (&["--seed", "-1"], "--seed needs a non-negative integer"),
            (&["--faults", "[{"], "--faults: "),
            (&["--faults", r#"[{"kind":"latency"}]"#], "--faults: faults.rules[0]"),
            (&["--faults", r#"[{"kind":"boom"}]"#], "--faults: faults.rules"),
            (&["--config", r#"{"colour": 1}"#], "--config: invalid sandbox config"),
            (&["--colour", "red"], "unknown argument --colour"),
            (&["--port"], "--port needs a value"),
            (&["--webhook-max-attempts", "0"], "webhook_max_attempts must be at least 1"),
            (&["--secret-key", "pk_test_x"], "secret_key must look like"),
            (&["--start", "last tuesday"], "start must be an ISO 8601 date"),
        ] {
            let error = run(args).unwrap_err();
            assert!(error.contains(wanted), "{args:?}: {error}");
        }
        assert_eq!(run(&["--port", "1", "-h"]).unwrap_err(), "help");
    }

    #[test]
    fn the_usage_shows_every_flag_and_the_configs_defaults() {
        let text = usage("paystack-sandbox");
        for flag in FLAGS {
            assert!(text.contains(flag.name), "{}", flag.name);
        }
        let defaults = SandboxConfig::default();
        assert!(text.contains(&format!("(default {})", defaults.process_interval_ms)));
        assert!(text.contains(&format!("(default {})", defaults.webhook_retry_interval_ms)));
        assert!(!text.contains(crate::config::DEFAULT_SECRET_KEY), "the key is never printed");
    }

    #[test]
    fn a_parsed_config_survives_json() {
        let config =
            run(&["--faults", r#"{"seed": 4, "rules": [{"kind": "error", "status": 502}]}"#, "--key", "sk_test_a"])
                .unwrap();
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(SandboxConfig::from_json(&json).unwrap(), config);
    }

    #[test]
    fn the_banner_never_shows_the_key() {
        let config = run(&["--key", "sk_test_hidden_one"]).unwrap();
        let text = banner("http://127.0.0.1:1", &config);
        assert!(!text.contains("hidden") && text.contains("only 1 key(s) accepted"), "{text}");
        assert!(banner("http://x", &SandboxConfig::default()).contains("the default secret key"));
    }
}
