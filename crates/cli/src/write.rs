//! Writing files without ever losing what the user had: a temporary file in the same
//! directory, synced, then renamed over the original, with the original kept as a backup.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Write `bytes` to `path` atomically. When `path` exists its current content is first copied
/// to a backup (`<file>.bak`, or `<file>.bak.N` when older backups exist, never overwriting
/// one). Returns the backup's path, if one was made.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<Option<PathBuf>> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".smsmig-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("writing a temporary file in {}", dir.display()))?;
    let backup = if path.exists() {
        let backup = free_backup_path(path);
        fs::copy(path, &backup)
            .with_context(|| format!("backing up {} to {}", path.display(), backup.display()))?;
        if let Ok(meta) = fs::metadata(path) {
            let _ = fs::set_permissions(tmp.path(), meta.permissions());
        }
        Some(backup)
    } else {
        set_new_file_permissions(tmp.path());
        None
    };
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(backup)
}

/// A temporary file is created readable by its owner only; a new output file gets the usual
/// `rw-r--r--` instead (an existing file keeps its own mode, copied above).
#[cfg(unix)]
fn set_new_file_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o644));
}

#[cfg(not(unix))]
fn set_new_file_permissions(_path: &Path) {}

/// `<file>.bak`, or the first `<file>.bak.N` that does not exist yet.
fn free_backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    let first = PathBuf::from(&name);
    if !first.exists() {
        return first;
    }
    (1u32..)
        .map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!(".{n}"));
            PathBuf::from(numbered)
        })
        .find(|p| !p.exists())
        .expect("an unused backup name exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_backup() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("SMS_def.mof");
        assert_eq!(write_atomic(&file, b"one").unwrap(), None);
        let b1 = write_atomic(&file, b"two").unwrap().unwrap();
        let b2 = write_atomic(&file, b"three").unwrap().unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"three");
        assert_eq!(fs::read(&b1).unwrap(), b"one");
        assert_eq!(fs::read(&b2).unwrap(), b"two");
        assert!(b2.to_string_lossy().ends_with(".bak.1"));
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_world_readable_and_existing_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("configuration.mof");
        write_atomic(&new, b"x").unwrap();
        assert_eq!(
            fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o644
        );
        fs::set_permissions(&new, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&new, b"y").unwrap();
        assert_eq!(
            fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}
