//! Reading the migration's inputs: the site's SMS 2003 `SMS_def.mof`, its mini-MOFs (files, or
//! directories walked for `*.mof`), the optional stock baseline, and the ConfigMgr 2007 `hinv`
//! directory. Every file is decoded (keeping encoding, BOM and newline style) and parsed; a file
//! with a syntax error stops the migration, because nothing can be said safely about it.

use std::fs;
use std::path::{Path, PathBuf};

use smsmig_mof::parse::parse;
use smsmig_mof::source::SourceFile;
use smsmig_mof::Document;
use walkdir::WalkDir;

use super::{HinvError, ParseFailure};

/// One decoded and parsed MOF file.
#[derive(Clone, Debug)]
pub struct MofFile {
    /// Where it was read from (as given, not canonicalised).
    pub path: PathBuf,
    /// The decoded text with its encoding, BOM and newline style.
    pub source: SourceFile,
    /// The lossless tree of `source.text`.
    pub document: Document,
}

impl MofFile {
    /// Read, decode and parse `path`.
    ///
    /// # Errors
    /// [`HinvError::Read`] when the file cannot be read, [`HinvError::Parse`] when it has
    /// syntax errors.
    pub fn read(path: &Path) -> Result<Self, HinvError> {
        let bytes = fs::read(path).map_err(|source| HinvError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }

    /// Decode and parse `bytes` as the content of `path`.
    ///
    /// # Errors
    /// [`HinvError::Parse`] when the text has syntax errors.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<Self, HinvError> {
        let path = path.into();
        let source = SourceFile::decode(bytes);
        let parsed = parse(&source.text);
        if !parsed.errors.is_empty() {
            return Err(HinvError::Parse(Box::new(ParseFailure {
                path,
                source,
                errors: parsed.errors,
            })));
        }
        Ok(Self {
            path,
            source,
            document: parsed.document,
        })
    }

    /// The decoded text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The file name without directories, for comments and messages.
    #[must_use]
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// Expand mini-MOF arguments into files: a file is taken as given whatever its extension; a
/// directory is walked (following links) for `*.mof` files, case-insensitively, in file-name
/// order so the result is the same on every machine.
///
/// # Errors
/// [`HinvError::Read`] for a path that does not exist, [`HinvError::Walk`] when a directory
/// cannot be walked.
pub fn mof_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, HinvError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|source| HinvError::Read {
            path: path.clone(),
            source,
        })?;
        if !meta.is_dir() {
            out.push(path.clone());
            continue;
        }
        for entry in WalkDir::new(path).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|source| HinvError::Walk {
                path: path.clone(),
                source,
            })?;
            let is_mof = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("mof"));
            if entry.file_type().is_file() && is_mof {
                out.push(entry.into_path());
            }
        }
    }
    Ok(out)
}

/// The SMS 2003 side: what the site runs, and optionally what it was installed with.
#[derive(Clone, Debug)]
pub struct Sources {
    /// The site's `SMS_def.mof`.
    pub site: MofFile,
    /// Mini-MOFs, in the order given (directories expanded in file-name order).
    pub minis: Vec<MofFile>,
    /// The stock SMS 2003 `SMS_def.mof` from the installation media.
    pub baseline: Option<MofFile>,
}

impl Sources {
    /// Read the site's `SMS_def.mof`, the mini-MOF files and directories, and the baseline.
    /// A mini-MOF path that is the site file itself (a directory holding both) is skipped.
    ///
    /// # Errors
    /// The first file that cannot be read or does not parse.
    pub fn load(
        site: &Path,
        minis: &[PathBuf],
        baseline: Option<&Path>,
    ) -> Result<Self, HinvError> {
        let site_file = MofFile::read(site)?;
        let site_canonical = fs::canonicalize(site).ok();
        let mut mini_files = Vec::new();
        for path in mof_paths(minis)? {
            if site_canonical.is_some() && fs::canonicalize(&path).ok() == site_canonical {
                continue;
            }
            mini_files.push(MofFile::read(&path)?);
        }
        let baseline = baseline.map(MofFile::read).transpose()?;
        Ok(Self {
            site: site_file,
            minis: mini_files,
            baseline,
        })
    }

    /// The site's files in input order: `SMS_def.mof`, then the mini-MOFs.
    pub fn inputs(&self) -> impl Iterator<Item = &MofFile> + '_ {
        std::iter::once(&self.site).chain(&self.minis)
    }
}

/// The ConfigMgr 2007 side: `inboxes\clifiles.src\hinv` with its two files.
#[derive(Clone, Debug)]
pub struct Target {
    /// The directory.
    pub dir: PathBuf,
    /// `configuration.mof`: data classes, compiled by clients.
    pub configuration: MofFile,
    /// `SMS_def.mof`: reporting classes, compiled on the site server.
    pub sms_def: MofFile,
}

/// File name of the data-class file in a `hinv` directory.
pub const CONFIGURATION_MOF: &str = "configuration.mof";
/// File name of the reporting-class file in a `hinv` directory.
pub const SMS_DEF_MOF: &str = "SMS_def.mof";

impl Target {
    /// Read `dir/configuration.mof` and `dir/SMS_def.mof` (names matched case-insensitively,
    /// as Windows does).
    ///
    /// # Errors
    /// [`HinvError::MissingTarget`], [`HinvError::TargetNotDirectory`],
    /// [`HinvError::NotHinvDirectory`], or the read or parse error of either file.
    pub fn load(dir: &Path) -> Result<Self, HinvError> {
        let (configuration, sms_def) = Self::files(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
            configuration: MofFile::read(&configuration)?,
            sms_def: MofFile::read(&sms_def)?,
        })
    }

    /// The paths of the two files in `dir`, checking it is a `hinv` directory.
    ///
    /// # Errors
    /// As [`Target::load`], without reading the files.
    pub fn files(dir: &Path) -> Result<(PathBuf, PathBuf), HinvError> {
        let meta = match fs::metadata(dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(HinvError::MissingTarget {
                    path: dir.to_owned(),
                })
            }
            Err(source) => {
                return Err(HinvError::Read {
                    path: dir.to_owned(),
                    source,
                })
            }
        };
        if !meta.is_dir() {
            return Err(HinvError::TargetNotDirectory {
                path: dir.to_owned(),
            });
        }
        let names: Vec<String> = fs::read_dir(dir)
            .map_err(|source| HinvError::Read {
                path: dir.to_owned(),
                source,
            })?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let find = |wanted: &'static str| {
            names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
                .map(|n| dir.join(n))
                .ok_or(HinvError::NotHinvDirectory {
                    path: dir.to_owned(),
                    missing: wanted,
                })
        };
        Ok((find(CONFIGURATION_MOF)?, find(SMS_DEF_MOF)?))
    }
}
