//! Live extraction: run the extraction queries against an SMS site database through tiberius
//! and write the same CSV directory the offline route produces.
//!
//! Read-only by construction: the only statements sent are the catalogue lookup (parameterised)
//! and the `SELECT`s of [`super::schema`]. Rows are streamed to disk as they arrive, so
//! no table is held in memory; every row also goes through [`super::map::map_row`],
//! the mapping the CSV loader uses, so bad data is reported at pull time. SQL Server 2000,
//! which tiberius cannot log in to, is recognised from its PRELOGIN answer and sent to the
//! offline route. The password is handed in by the caller and never logged or put in errors.

mod cell;
mod prelogin;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::TryStreamExt;
use tiberius::{AuthMethod, Client, Config, EncryptionLevel, QueryItem, ToSql};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

pub use cell::cell_text;
pub use prelogin::ServerVersion;

use super::map::{map_row, ValueProblem};
use super::schema::{Source, TableSpec, TABLES};

/// Where to connect: `host[,port]` and the site database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or address.
    pub host: String,
    /// TCP port (1433 unless given).
    pub port: u16,
    /// Database, e.g. `SMS_HOU`.
    pub database: String,
}

impl Target {
    /// Parse `host[,port]` (the `sqlcmd -S` form) and a database name.
    ///
    /// # Errors
    /// [`PullError::BadServer`] for an empty host, a bad port, or a named instance
    /// (`host\instance`, which needs the SQL Browser service; give the port instead).
    pub fn parse(server: &str, database: &str) -> Result<Self, PullError> {
        let bad = |reason: &'static str| PullError::BadServer {
            server: server.to_owned(),
            reason,
        };
        let (host, port) = match server.split_once(',') {
            Some((h, p)) => (h.trim(), p.trim().parse().map_err(|_| bad("bad port"))?),
            None => (server.trim(), 1433),
        };
        if host.is_empty() {
            return Err(bad("empty host"));
        }
        if host.contains('\\') {
            return Err(bad(
                "named instances are not supported; give host,port instead",
            ));
        }
        if database.trim().is_empty() {
            return Err(bad("empty database name"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            database: database.trim().to_owned(),
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}/{}", self.host, self.port, self.database)
    }
}

/// How to log in.
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// SQL Server login.
    Sql {
        /// Login name.
        user: String,
        /// Password (never printed: `Debug` redacts it).
        password: String,
    },
    /// Windows integrated authentication (Windows builds only).
    Integrated,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sql { user, .. } => f
                .debug_struct("Sql")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            Self::Integrated => f.write_str("Integrated"),
        }
    }
}

/// Options of a pull.
#[derive(Debug, Clone)]
pub struct PullOptions {
    /// Login.
    pub auth: Auth,
    /// Accept the server's certificate without validating it (`--trust-server-certificate`).
    pub trust_server_certificate: bool,
    /// Longest wait for a query to start returning, and between two rows.
    pub query_timeout: Duration,
    /// How often to reconnect and restart a table after a dropped connection.
    pub retries: u32,
}

/// Something the caller may want to show while a pull runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notice {
    /// The server's version, from PRELOGIN.
    Server(ServerVersion),
    /// A table's data is not in the database's views (boundaries): the SMS Provider script
    /// ([`script`](super::script)) fills it.
    NotInDatabase {
        /// The CSV file.
        file: &'static str,
    },
    /// A view or table the query needs does not exist or is not readable.
    MissingObject {
        /// The CSV file.
        file: &'static str,
        /// The view or table.
        object: &'static str,
        /// Whether the table was skipped (driving view) or only some columns left empty.
        skipped: bool,
    },
    /// Columns written empty because their source is missing or not in SQL.
    EmptyColumns {
        /// The CSV file.
        file: &'static str,
        /// The columns.
        columns: Vec<&'static str>,
    },
    /// A row the loader will reject (written anyway, so it can be inspected).
    BadValue {
        /// The CSV file.
        file: &'static str,
        /// Data row number (1-based, header not counted).
        row: u64,
        /// Column.
        column: &'static str,
        /// Why.
        problem: ValueProblem,
    },
    /// The connection dropped; reconnecting and restarting the table.
    Retrying {
        /// The CSV file.
        file: &'static str,
        /// Attempt number (1-based).
        attempt: u32,
    },
}

/// Progress callbacks; the CLI draws bars with them. All methods default to doing nothing.
pub trait Progress {
    /// Something worth telling the user.
    fn notice(&mut self, _notice: &Notice) {}
    /// A table starts; `expected` is the driving view's row count when it could be read.
    fn table_started(&mut self, _file: &'static str, _expected: Option<u64>) {}
    /// Rows written so far for the table.
    fn rows(&mut self, _file: &'static str, _rows: u64) {}
    /// The table is complete.
    fn table_finished(&mut self, _file: &'static str, _rows: u64) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// The outcome of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    /// CSV file.
    pub file: &'static str,
    /// Rows written (0 when skipped).
    pub rows: u64,
    /// Whether the file was written.
    pub written: bool,
    /// Rows the loader will reject.
    pub bad_rows: u64,
}

/// The outcome of a pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullReport {
    /// Server version.
    pub server: Option<ServerVersion>,
    /// One entry per table of the format.
    pub tables: Vec<TableReport>,
}

/// Why a pull failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PullError {
    /// The `--server` value is unusable.
    #[error("server `{server}`: {reason}")]
    BadServer {
        /// As given.
        server: String,
        /// Why.
        reason: &'static str,
    },
    /// The server could not be reached.
    #[error("cannot reach {server}")]
    Connect {
        /// `host,port`.
        server: String,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// SQL Server 2000 or older: tiberius cannot log in.
    #[error(
        "{server} runs {product} ({version}), which the live pull cannot read; use the offline \
         route: run the queries of `smsmig inventory sql` in Query Analyzer, save each result \
         as the named CSV file, and pass the directory to --inventory"
    )]
    UnsupportedServer {
        /// `host,port`.
        server: String,
        /// Product name.
        product: &'static str,
        /// Version.
        version: ServerVersion,
    },
    /// Integrated authentication is not available in this build.
    #[error("integrated authentication needs a Windows build of smsmig; use --user")]
    IntegratedUnavailable,
    /// TLS negotiation failed.
    #[error(
        "TLS with {server} failed: {message} (if the server uses a self-signed certificate, \
         pass --trust-server-certificate)"
    )]
    Tls {
        /// `host,port`.
        server: String,
        /// The TLS error.
        message: String,
    },
    /// The server refused the login or the database.
    #[error("login to {target} failed: {message}")]
    Login {
        /// Target.
        target: String,
        /// The server's message.
        message: String,
    },
    /// A view without which the inventory is useless is missing.
    #[error("{object} is not in {database}: is this an SMS site database?")]
    MissingRequiredView {
        /// The view.
        object: &'static str,
        /// The database.
        database: String,
    },
    /// A query failed.
    #[error("{file}: query failed: {message}")]
    Query {
        /// The CSV being produced.
        file: &'static str,
        /// The server's or driver's message.
        message: String,
    },
    /// A query exceeded the timeout.
    #[error("{file}: no data for {seconds} s (query timeout; raise it with --timeout)")]
    Timeout {
        /// The CSV being produced.
        file: &'static str,
        /// The timeout.
        seconds: u64,
    },
    /// A column came back in a type the export does not handle.
    #[error("{file}: column {column} has unsupported SQL type {sql_type}")]
    UnsupportedType {
        /// The CSV being produced.
        file: &'static str,
        /// Column.
        column: String,
        /// SQL type.
        sql_type: &'static str,
    },
    /// Writing the output failed.
    #[error("writing {path}", path = path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

impl PullError {
    /// True when reconnecting may help.
    fn is_connection_lost(&self) -> bool {
        matches!(self, Self::Query { message, .. } if message.starts_with(CONNECTION_LOST))
    }
}

const CONNECTION_LOST: &str = "connection lost: ";

type Conn = Client<Compat<TcpStream>>;

/// Pull every table into `out` (created if needed). Existing files of the format are
/// replaced only once their table has been read completely.
///
/// # Errors
/// [`PullError`]: unreachable or unsupported server, login, TLS, missing `v_Site`, query
/// failures after the retries, timeouts, write errors.
pub fn pull(
    target: &Target,
    opts: &PullOptions,
    out: &Path,
    progress: &mut dyn Progress,
) -> Result<PullReport, PullError> {
    if matches!(opts.auth, Auth::Integrated) && cfg!(not(windows)) {
        return Err(PullError::IntegratedUnavailable);
    }
    fs::create_dir_all(out).map_err(|source| PullError::Write {
        path: out.to_owned(),
        source,
    })?;
    let server = format!("{},{}", target.host, target.port);
    let version = prelogin::probe(
        &target.host,
        target.port,
        opts.query_timeout.min(Duration::from_secs(30)),
    )
    .map_err(|source| PullError::Connect {
        server: server.clone(),
        source,
    })?;
    if let Some(v) = version {
        progress.notice(&Notice::Server(v));
        if v.major < 9 {
            return Err(PullError::UnsupportedServer {
                server,
                product: v.product(),
                version: v,
            });
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| PullError::Connect {
            server: server.clone(),
            source,
        })?;
    let tables = rt.block_on(run(target, opts, out, progress))?;
    Ok(PullReport {
        server: version,
        tables,
    })
}

async fn connect(target: &Target, opts: &PullOptions) -> Result<Conn, PullError> {
    let server = format!("{},{}", target.host, target.port);
    let mut config = Config::new();
    config.host(&target.host);
    config.port(target.port);
    config.database(&target.database);
    config.application_name("smsmig inventory pull");
    config.readonly(true);
    // Encrypt when the server can; the server's "force encryption" setting wins either way.
    config.encryption(EncryptionLevel::On);
    if opts.trust_server_certificate {
        config.trust_cert();
    }
    match &opts.auth {
        Auth::Sql { user, password } => {
            config.authentication(AuthMethod::sql_server(user, password))
        }
        Auth::Integrated => {
            #[cfg(windows)]
            config.authentication(AuthMethod::Integrated);
            #[cfg(not(windows))]
            return Err(PullError::IntegratedUnavailable);
        }
    }
    let tcp = TcpStream::connect(config.get_addr())
        .await
        .map_err(|source| PullError::Connect {
            server: server.clone(),
            source,
        })?;
    let _ = tcp.set_nodelay(true);
    Client::connect(config, tcp.compat_write())
        .await
        .map_err(|e| match e {
            tiberius::error::Error::Tls(message) => PullError::Tls { server, message },
            tiberius::error::Error::Io { kind, message } => PullError::Connect {
                server,
                source: io::Error::new(kind, message),
            },
            other => PullError::Login {
                target: target.to_string(),
                message: other.to_string(),
            },
        })
}

/// Lower-cased object name → lower-cased column names, for the objects the queries use.
type Catalog = BTreeMap<String, BTreeSet<String>>;

async fn discover(client: &mut Conn, timeout: Duration) -> Result<Catalog, PullError> {
    let mut names: Vec<&'static str> = TABLES
        .iter()
        .flat_map(|t| t.objects.iter().map(|o| o.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("@P{i}")).collect();
    let sql = format!(
        "SELECT o.TABLE_NAME, c.COLUMN_NAME\n\
         FROM INFORMATION_SCHEMA.TABLES AS o\n\
         LEFT JOIN INFORMATION_SCHEMA.COLUMNS AS c\n  \
         ON c.TABLE_SCHEMA = o.TABLE_SCHEMA AND c.TABLE_NAME = o.TABLE_NAME\n\
         WHERE o.TABLE_NAME IN ({})",
        placeholders.join(", ")
    );
    let params: Vec<&dyn ToSql> = names.iter().map(|n| n as &dyn ToSql).collect();
    let file = "(catalogue)";
    let mut stream = with_timeout(file, timeout, client.query(sql, &params)).await?;
    let mut catalog = Catalog::new();
    while let Some(item) = with_timeout(file, timeout, stream.try_next()).await? {
        if let QueryItem::Row(row) = item {
            let object: Option<&str> = row.get(0);
            let column: Option<&str> = row.get(1);
            if let Some(object) = object {
                let entry = catalog.entry(object.to_ascii_lowercase()).or_default();
                if let Some(column) = column {
                    entry.insert(column.to_ascii_lowercase());
                }
            }
        }
    }
    Ok(catalog)
}

async fn run(
    target: &Target,
    opts: &PullOptions,
    out: &Path,
    progress: &mut dyn Progress,
) -> Result<Vec<TableReport>, PullError> {
    let mut client = connect(target, opts).await?;
    let catalog = discover(&mut client, opts.query_timeout).await?;
    let mut reports = Vec::new();
    for spec in TABLES {
        let skipped = TableReport {
            file: spec.file,
            rows: 0,
            written: false,
            bad_rows: 0,
        };
        if !spec.has_query() {
            progress.notice(&Notice::NotInDatabase { file: spec.file });
            reports.push(skipped);
            continue;
        }
        let object_of = |alias: &str| spec.objects.iter().find(|o| o.alias == alias);
        let has_object = |name: &str| catalog.contains_key(&name.to_ascii_lowercase());
        if let Some(missing) = spec
            .objects
            .iter()
            .find(|o| o.required && !has_object(o.name))
        {
            if spec.required_file {
                return Err(PullError::MissingRequiredView {
                    object: missing.name,
                    database: target.database.clone(),
                });
            }
            progress.notice(&Notice::MissingObject {
                file: spec.file,
                object: missing.name,
                skipped: true,
            });
            reports.push(skipped);
            continue;
        }
        for o in spec.objects.iter().filter(|o| !has_object(o.name)) {
            progress.notice(&Notice::MissingObject {
                file: spec.file,
                object: o.name,
                skipped: false,
            });
        }
        let available = |alias: &str, column: &str| {
            object_of(alias).is_some_and(|o| {
                catalog
                    .get(&o.name.to_ascii_lowercase())
                    .is_some_and(|cols| cols.contains(&column.to_ascii_lowercase()))
            })
        };
        let empty: Vec<&'static str> = spec
            .columns
            .iter()
            .filter(|c| match c.source {
                Source::Object { alias, column } => !available(alias, column),
                Source::Expr(_) => false,
                Source::None => true,
            })
            .map(|c| c.name)
            .collect();
        if !empty.is_empty() {
            progress.notice(&Notice::EmptyColumns {
                file: spec.file,
                columns: empty,
            });
        }
        let sql = spec.select_sql(&available).unwrap_or_default();
        let mut attempt = 0;
        let report = loop {
            match pull_table(&mut client, spec, &sql, out, opts, progress).await {
                Ok(report) => break report,
                Err(e) if e.is_connection_lost() && attempt < opts.retries => {
                    attempt += 1;
                    progress.notice(&Notice::Retrying {
                        file: spec.file,
                        attempt,
                    });
                    tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
                    client = connect(target, opts).await?;
                }
                Err(e) => return Err(e),
            }
        };
        reports.push(report);
    }
    let _ = client.close().await;
    Ok(reports)
}

async fn pull_table(
    client: &mut Conn,
    spec: &'static TableSpec,
    sql: &str,
    out: &Path,
    opts: &PullOptions,
    progress: &mut dyn Progress,
) -> Result<TableReport, PullError> {
    let file = spec.file;
    let timeout = opts.query_timeout;
    let expected = count_rows(client, spec, timeout).await;
    progress.table_started(file, expected);
    let final_path = out.join(file);
    let partial = out.join(format!("{file}.partial"));
    let write_err = |source: io::Error| PullError::Write {
        path: partial.clone(),
        source,
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_path(&partial)
        .map_err(|e| write_err(e.into()))?;
    w.write_record(spec.columns.iter().map(|c| c.name))
        .map_err(|e| write_err(e.into()))?;
    let mut stream = with_timeout(file, timeout, client.query(sql, &[])).await?;
    let (mut rows, mut bad_rows) = (0u64, 0u64);
    let mut cells: Vec<Option<String>> = Vec::with_capacity(spec.columns.len());
    while let Some(item) = with_timeout(file, timeout, stream.try_next()).await? {
        let QueryItem::Row(row) = item else { continue };
        cells.clear();
        for (column, data) in row.cells() {
            cells.push(
                cell_text(data).map_err(|sql_type| PullError::UnsupportedType {
                    file,
                    column: column.name().to_owned(),
                    sql_type,
                })?,
            );
        }
        rows += 1;
        if let Err(err) = map_row(spec.table, &cells) {
            bad_rows += 1;
            if bad_rows <= 20 {
                progress.notice(&Notice::BadValue {
                    file,
                    row: rows,
                    column: spec.columns.get(err.column).map_or("?", |c| c.name),
                    problem: err.problem,
                });
            }
        }
        w.write_record(cells.iter().map(|c| c.as_deref().unwrap_or("")))
            .map_err(|e| write_err(e.into()))?;
        if rows % 1024 == 0 {
            progress.rows(file, rows);
        }
    }
    drop(stream);
    w.flush().map_err(write_err)?;
    drop(w);
    fs::rename(&partial, &final_path).map_err(|source| PullError::Write {
        path: final_path.clone(),
        source,
    })?;
    progress.table_finished(file, rows);
    Ok(TableReport {
        file,
        rows,
        written: true,
        bad_rows,
    })
}

/// Row count of the driving view, for a progress bar with a length. Best effort.
async fn count_rows(client: &mut Conn, spec: &TableSpec, timeout: Duration) -> Option<u64> {
    let driving = spec.objects.iter().find(|o| o.required)?;
    let sql = format!("SELECT COUNT_BIG(*) FROM {}", driving.name);
    let stream = tokio::time::timeout(timeout, client.query(sql, &[]))
        .await
        .ok()?
        .ok()?;
    let row = tokio::time::timeout(timeout, stream.into_row())
        .await
        .ok()?
        .ok()??;
    row.get::<i64, _>(0).and_then(|n| u64::try_from(n).ok())
}

async fn with_timeout<T>(
    file: &'static str,
    timeout: Duration,
    fut: impl std::future::Future<Output = tiberius::Result<T>>,
) -> Result<T, PullError> {
    match tokio::time::timeout(timeout, fut).await {
        Err(_) => Err(PullError::Timeout {
            file,
            seconds: timeout.as_secs(),
        }),
        Ok(Ok(v)) => Ok(v),
        Ok(Err(tiberius::error::Error::Io { message, .. })) => Err(PullError::Query {
            file,
            message: format!("{CONNECTION_LOST}{message}"),
        }),
        Ok(Err(e)) => Err(PullError::Query {
            file,
            message: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_like_sqlcmd() {
        let t = Target::parse("houdb01,1533", "SMS_HOU").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("houdb01", 1533));
        assert_eq!(t.to_string(), "houdb01,1533/SMS_HOU");
        assert_eq!(Target::parse("houdb01", "SMS_HOU").unwrap().port, 1433);
        assert!(Target::parse("houdb01,x", "SMS_HOU").is_err());
        assert!(Target::parse("houdb01\\SMS", "SMS_HOU").is_err());
        assert!(Target::parse("", "SMS_HOU").is_err());
        assert!(Target::parse("h", " ").is_err());
    }

    #[test]
    fn password_is_never_in_debug_output() {
        let opts = PullOptions {
            auth: Auth::Sql {
                user: "smsreader".into(),
                password: "s3cr3t!".into(),
            },
            trust_server_certificate: false,
            query_timeout: Duration::from_secs(1),
            retries: 0,
        };
        let text = format!("{opts:?}");
        assert!(text.contains("smsreader"));
        assert!(!text.contains("s3cr3t"));
    }

    #[test]
    fn unsupported_server_message_points_to_the_offline_route() {
        let err = PullError::UnsupportedServer {
            server: "satdb,1433".into(),
            product: "SQL Server 2000",
            version: ServerVersion {
                major: 8,
                minor: 0,
                build: 2039,
            },
        };
        let text = err.to_string();
        assert!(text.contains("SQL Server 2000 (8.00.2039)"), "{text}");
        assert!(text.contains("smsmig inventory sql"), "{text}");
    }

    #[test]
    fn sql_server_2000_is_sent_to_the_offline_route() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut sock, _) = listener.accept().unwrap();
            let mut buf = [0u8; 26];
            sock.read_exact(&mut buf).unwrap();
            assert_eq!(buf[0], 0x12, "a PRELOGIN packet");
            // PRELOGIN answer of SQL Server 2000 SP4: VERSION 8.0.2039.
            let payload = [0u8, 0, 6, 0, 6, 0xFF, 8, 0, 0x07, 0xF7, 0, 0];
            let mut packet = vec![0x04, 1, 0, (payload.len() + 8) as u8, 0, 0, 1, 0];
            packet.extend_from_slice(&payload);
            sock.write_all(&packet).unwrap();
        });
        let target = Target::parse(&format!("127.0.0.1,{port}"), "SMS_SAT").unwrap();
        let opts = PullOptions {
            auth: Auth::Sql {
                user: "u".into(),
                password: "p".into(),
            },
            trust_server_certificate: false,
            query_timeout: Duration::from_secs(5),
            retries: 0,
        };
        let dir = tempfile::tempdir().unwrap();
        let err = pull(&target, &opts, dir.path(), &mut NoProgress).unwrap_err();
        server.join().unwrap();
        match err {
            PullError::UnsupportedServer {
                version, product, ..
            } => {
                assert_eq!(
                    (version.major, version.build, product),
                    (8, 2039, "SQL Server 2000")
                );
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn unreachable_server_is_a_connect_error() {
        // Port 9 on localhost: nothing listens there in the test environment.
        let target = Target::parse("127.0.0.1,9", "SMS_HOU").unwrap();
        let opts = PullOptions {
            auth: Auth::Sql {
                user: "u".into(),
                password: "p".into(),
            },
            trust_server_certificate: false,
            query_timeout: Duration::from_secs(2),
            retries: 0,
        };
        let dir = tempfile::tempdir().unwrap();
        let err = pull(&target, &opts, dir.path(), &mut NoProgress).unwrap_err();
        assert!(matches!(err, PullError::Connect { .. }), "{err}");
    }
}
