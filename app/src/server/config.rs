//! Configuration, read once from the environment at start-up; every error names its variable.
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[error("configuration: {var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SmtpSecurity {
    None,
    StartTls,
    Tls,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MailTransport {
    /// Deliver over SMTP (production).
    Smtp { host: String, port: u16, username: Option<String>, password: Option<String>, security: SmtpSecurity },
    /// Write each mail to a folder as `.eml` and `.json` (development and tests).
    Dir(PathBuf),
    /// Only log that a mail would be sent.
    Log,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// The site's own origin as users reach it, e.g. `https://award.example.jp`; used in mailed
    /// links and to recognise same-origin form posts.
    pub public_url: String,
    pub secure_cookies: bool,
    pub data_dir: PathBuf,
    pub upload_dir: PathBuf,
    /// Attachments go to this S3-compatible bucket instead of `upload_dir` when `S3_BUCKET` is set.
    pub s3: Option<crate::server::storage::S3Config>,
    pub mail: MailTransport,
    pub mail_from: String,
    /// Trust `X-Forwarded-For` for the client address (only behind your own reverse proxy).
    pub trust_proxy: bool,
    pub log_json: bool,
    pub secret_key: Option<String>,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    pub max_db_connections: u32,
    /// New accounts allowed per client address per hour (`SIGNUPS_PER_HOUR`).
    pub signups_per_hour: u64,
    /// Event registrations taken per client address per hour (`REGISTRATIONS_PER_HOUR`): a
    /// family or an office behind one address registers freely; a script filling the venue
    /// (and sending mail to any address) does not.
    pub registrations_per_hour: u64,
    /// Bytes the anonymous page cache may hold (`PAGE_CACHE_MB`, default 16).
    pub page_cache_bytes: u64,
    /// Where `/metrics` is served on its own (`METRICS_ADDR`, e.g. 127.0.0.1:9100); not public.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// With it, `/metrics` is also served on the main address to `Authorization: Bearer <token>`
    /// (`METRICS_TOKEN`, at least 24 characters).
    pub metrics_token: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("gp.sqlite3").display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                var: "DATABASE_URL",
                problem: "must start with sqlite:, postgres:// or postgresql://".into(),
            });
        }
        let public_url = get("PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".into());
        let parsed = url::Url::parse(&public_url).map_err(|e| ConfigError {
            var: "PUBLIC_URL",
            problem: format!("not a URL ({e}); e.g. https://award.example.jp"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(ConfigError { var: "PUBLIC_URL", problem: "must be an http(s) origin".into() });
        }
        let public_url = public_url.trim_end_matches('/').to_string();
        let secure_cookies = match get("COOKIE_SECURE") {
            Some(v) => parse_bool("COOKIE_SECURE", &v)?,
            None => parsed.scheme() == "https",
        };

        let mail = match get("MAIL_TRANSPORT").as_deref().unwrap_or("dir") {
            "smtp" => {
                let host = get("SMTP_HOST")
                    .ok_or(ConfigError { var: "SMTP_HOST", problem: "required when MAIL_TRANSPORT=smtp".into() })?;
                let security = match get("SMTP_SECURITY").as_deref().unwrap_or("starttls") {
                    "none" => SmtpSecurity::None,
                    "starttls" => SmtpSecurity::StartTls,
                    "tls" => SmtpSecurity::Tls,
                    other => {
                        return Err(ConfigError {
                            var: "SMTP_SECURITY",
                            problem: format!("'{other}' is not one of none, starttls, tls"),
                        })
                    }
                };
                let default_port = match security {
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::None => 25,
                };
                let port = match get("SMTP_PORT") {
                    Some(p) => p.parse().map_err(|_| ConfigError {
                        var: "SMTP_PORT",
                        problem: format!("'{p}' is not a port number"),
                    })?,
                    None => default_port,
                };
                MailTransport::Smtp {
                    host,
                    port,
                    username: get("SMTP_USERNAME"),
                    password: get("SMTP_PASSWORD"),
                    security,
                }
            }
            "dir" => MailTransport::Dir(get("MAIL_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("mail"))),
            "log" => MailTransport::Log,
            other => {
                return Err(ConfigError {
                    var: "MAIL_TRANSPORT",
                    problem: format!("'{other}' is not one of smtp, dir, log"),
                })
            }
        };
        let mail_from = get("MAIL_FROM").unwrap_or_else(|| "Good Practice <no-reply@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError {
                var: "MAIL_FROM",
                problem: format!("'{mail_from}' is not a mailbox, e.g. Award <award@example.jp>"),
            });
        }
        let trust_proxy = get("TRUST_PROXY").map(|v| parse_bool("TRUST_PROXY", &v)).transpose()?.unwrap_or(false);
        let log_json = match get("LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError { var: "LOG_FORMAT", problem: format!("'{other}' is not text or json") })
            }
        };
        let secret_key = get("SECRET_KEY");
        if let Some(k) = &secret_key {
            if k.len() < 32 {
                return Err(ConfigError { var: "SECRET_KEY", problem: "must be at least 32 characters".into() });
            }
        }
        let max_db_connections = match get("DB_MAX_CONNECTIONS") {
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError { var: "DB_MAX_CONNECTIONS", problem: format!("'{v}' is not a positive number") })?,
            // SQLite writes one at a time (the rest read from WAL snapshots) and each connection
            // holds its own schema, page cache and worker thread: 8 keep two cores busy.
            None if database_url.starts_with("sqlite:") => 8,
            None => 16,
        };
        let signups_per_hour = match get("SIGNUPS_PER_HOUR") {
            Some(v) => v
                .parse()
                .map_err(|_| ConfigError { var: "SIGNUPS_PER_HOUR", problem: format!("'{v}' is not a number") })?,
            None => 10,
        };
        let registrations_per_hour = match get("REGISTRATIONS_PER_HOUR") {
            Some(v) => v.parse().map_err(|_| ConfigError {
                var: "REGISTRATIONS_PER_HOUR",
                problem: format!("'{v}' is not a number"),
            })?,
            None => 30,
        };
        let page_cache_bytes = match get("PAGE_CACHE_MB") {
            Some(v) => {
                v.parse::<u64>().ok().filter(|n| (1..=65_536).contains(n)).ok_or(ConfigError {
                    var: "PAGE_CACHE_MB",
                    problem: format!("'{v}' is not a size in MB (1–65536)"),
                })? * 1024
                    * 1024
            }
            None => 16 * 1024 * 1024,
        };
        let metrics_addr = match get("METRICS_ADDR") {
            Some(v) => Some(v.parse().map_err(|_| ConfigError {
                var: "METRICS_ADDR",
                problem: format!("'{v}' is not an address, e.g. 127.0.0.1:9100"),
            })?),
            None => None,
        };
        let metrics_token = get("METRICS_TOKEN");
        if metrics_token.as_ref().is_some_and(|t| t.len() < 24) {
            return Err(ConfigError { var: "METRICS_TOKEN", problem: "must be at least 24 characters".into() });
        }
        let s3 = match get("S3_BUCKET") {
            None => None,
            Some(bucket) => {
                let need = |var: &'static str| {
                    get(var).ok_or(ConfigError { var, problem: "required when S3_BUCKET is set".into() })
                };
                let endpoint = get("S3_ENDPOINT").unwrap_or_else(|| {
                    format!("https://s3.{}.amazonaws.com", get("S3_REGION").as_deref().unwrap_or("us-east-1"))
                });
                if url::Url::parse(&endpoint).map(|u| !matches!(u.scheme(), "http" | "https")).unwrap_or(true) {
                    return Err(ConfigError {
                        var: "S3_ENDPOINT",
                        problem: format!(
                            "'{endpoint}' is not an http(s) URL, e.g. https://s3.ap-northeast-1.amazonaws.com"
                        ),
                    });
                }
                let mut prefix = get("S3_PREFIX").unwrap_or_default().trim_matches('/').to_string();
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                Some(crate::server::storage::S3Config {
                    endpoint,
                    region: get("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                    bucket,
                    access_key_id: need("S3_ACCESS_KEY_ID")?,
                    secret_access_key: need("S3_SECRET_ACCESS_KEY")?,
                    prefix,
                })
            }
        };
        Ok(Config {
            page_cache_bytes,
            metrics_addr,
            metrics_token,
            s3,
            signups_per_hour,
            registrations_per_hour,
            upload_dir: get("UPLOAD_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("uploads")),
            database_url,
            public_url,
            secure_cookies,
            data_dir,
            mail,
            mail_from,
            trust_proxy,
            log_json,
            secret_key,
            admin_email: get("ADMIN_EMAIL"),
            admin_password: get("ADMIN_PASSWORD"),
            max_db_connections,
        })
    }

    /// Builds an absolute link for e-mails.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url, path)
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn parse_bool(var: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(ConfigError { var, problem: format!("'{other}' is not true or false") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_on_sqlite_in_the_data_folder() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/gp.sqlite3?mode=rwc");
        assert!(!c.secure_cookies);
        assert_eq!(c.mail, MailTransport::Dir(PathBuf::from("data/mail")));
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let c = config(&[("PUBLIC_URL", "https://award.example.jp/")]).unwrap();
        assert!(c.secure_cookies);
        assert_eq!(c.link("/x"), "https://award.example.jp/x");
    }

    #[test]
    fn s3_bucket_switches_attachments_to_object_storage() {
        assert!(config(&[]).unwrap().s3.is_none());
        let c = config(&[
            ("S3_BUCKET", "gp-files"),
            ("S3_REGION", "ap-northeast-1"),
            ("S3_ACCESS_KEY_ID", "AKID"),
            ("S3_SECRET_ACCESS_KEY", "secret"),
            ("S3_PREFIX", "/uploads/"),
        ])
        .unwrap();
        let s3 = c.s3.unwrap();
        assert_eq!(s3.endpoint, "https://s3.ap-northeast-1.amazonaws.com");
        assert_eq!(s3.prefix, "uploads/");
        assert_eq!(s3.bucket, "gp-files");
    }

    #[test]
    fn errors_name_the_variable() {
        for (vars, var) in [
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("PUBLIC_URL", "not a url")], "PUBLIC_URL"),
            (vec![("MAIL_TRANSPORT", "smtp")], "SMTP_HOST"),
            (vec![("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "h"), ("SMTP_PORT", "x")], "SMTP_PORT"),
            (vec![("MAIL_TRANSPORT", "pigeon")], "MAIL_TRANSPORT"),
            (vec![("LOG_FORMAT", "xml")], "LOG_FORMAT"),
            (vec![("SECRET_KEY", "short")], "SECRET_KEY"),
            (vec![("TRUST_PROXY", "perhaps")], "TRUST_PROXY"),
            (vec![("MAIL_FROM", "nobody")], "MAIL_FROM"),
            (vec![("S3_BUCKET", "b")], "S3_ACCESS_KEY_ID"),
            (vec![("S3_BUCKET", "b"), ("S3_ACCESS_KEY_ID", "k")], "S3_SECRET_ACCESS_KEY"),
            (vec![("S3_BUCKET", "b"), ("S3_ENDPOINT", "ftp://x")], "S3_ENDPOINT"),
        ] {
            let err = config(&vars).unwrap_err();
            assert_eq!(err.var, var);
            assert!(err.to_string().contains(var));
        }
    }
}
