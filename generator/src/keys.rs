//! The institution's key file: the master secret that module secrets derive from, the Ed25519
//! seed that signs credentials, and the key epochs (a small counter bumped each term or after
//! a leak; an epoch can be revoked). Kept outside the course folder, readable by its owner
//! only, written so that a crash leaves the old file or the new one, never half of either.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sabaq_quiz::code::hmac_sha256;
use sabaq_quiz::key::{from_hex, to_hex};
use serde::{Deserialize, Serialize};

use crate::dates;

/// The environment variable that may name the key file instead of `--key`.
pub const KEY_ENV: &str = "SABAQ_KEY";
const FORMAT: &str = "sabaq-key-1";
/// Epoch numbers fit in five bits of a completion code.
pub const MAX_EPOCH: u8 = 31;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct KeyText {
    format: String,
    /// 32 bytes, hex.
    master: String,
    /// The Ed25519 seed that signs credentials, 32 bytes, hex.
    signing: String,
    epochs: Vec<Epoch>,
}

/// A key epoch: codes carry its number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Epoch {
    pub number: u8,
    /// The first day its codes may carry, `YYYY-MM-DD`.
    pub from: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

/// A loaded key. Its `Debug` form leaves the secrets out.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    master: [u8; 32],
    pub signing_seed: [u8; 32],
    pub epochs: Vec<Epoch>,
    /// Where it came from (`None` for the throwaway key of a build without one).
    pub path: Option<PathBuf>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("master", &"(secret)")
            .field("signing_seed", &"(secret)")
            .field("epochs", &self.epochs)
            .field("path", &self.path)
            .finish()
    }
}

impl Key {
    /// The key of a build without an institution key: public, so its codes prove nothing
    /// (and are marked unusable).
    pub fn throwaway() -> Key {
        Key {
            master: [0; 32],
            signing_seed: [0; 32],
            epochs: vec![Epoch {
                number: 0,
                from: "2024-01-01".to_string(),
                revoked: false,
            }],
            path: None,
        }
    }

    pub fn is_throwaway(&self) -> bool {
        self.path.is_none()
    }

    /// The Ed25519 key that signs credentials.
    pub fn signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&self.signing_seed)
    }

    /// The did:key that credentials signed with this key name as their issuer (public).
    pub fn issuer_did(&self) -> String {
        crate::did_key::did(&self.signing_key().verifying_key())
    }

    /// What `sabaq keys show` prints: the epochs and the issuer DID, nothing secret.
    pub fn describe(&self) -> String {
        let mut text = format!("credentials are signed by {}\n", self.issuer_did());
        for epoch in &self.epochs {
            text.push_str(&format!(
                "epoch {} from {}{}\n",
                epoch.number,
                epoch.from,
                if epoch.revoked { " (revoked)" } else { "" }
            ));
        }
        text.trim_end().to_string()
    }

    /// The epoch new codes carry.
    pub fn current_epoch(&self) -> &Epoch {
        self.epochs.last().expect("a key has at least one epoch")
    }

    pub fn epoch(&self, number: u8) -> Option<&Epoch> {
        self.epochs.iter().find(|e| e.number == number)
    }

    /// The 128-bit secret of one module of one course in one epoch: what its assessment gate
    /// locks and what its completion codes are signed with.
    pub fn module_secret(&self, course_id: &str, module_slug: &str, epoch: u8) -> [u8; 16] {
        let mac = hmac_sha256(
            &self.master,
            &[
                b"sabaq/module\0",
                &(course_id.len() as u32).to_le_bytes(),
                course_id.as_bytes(),
                &(module_slug.len() as u32).to_le_bytes(),
                module_slug.as_bytes(),
                &[epoch],
            ],
        );
        mac[..16].try_into().expect("16 of 32 bytes")
    }

    /// Reads a key file, refusing one that others may read.
    pub fn load(path: &Path) -> Result<Key> {
        check_private(path)?;
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        let parsed: KeyText = serde_norway::from_str(&text)
            .with_context(|| format!("{} is not a Sabaq key file", path.display()))?;
        let bytes = |hex: &str, what: &str| -> Result<[u8; 32]> {
            from_hex(hex.trim())
                .and_then(|b| b.try_into().ok())
                .with_context(|| format!("{}: `{what}` is not 64 hex digits", path.display()))
        };
        if parsed.format != FORMAT {
            bail!(
                "{}: format `{}` is not `{FORMAT}`; this Sabaq cannot read it",
                path.display(),
                parsed.format
            );
        }
        let key = Key {
            master: bytes(&parsed.master, "master")?,
            signing_seed: bytes(&parsed.signing, "signing")?,
            epochs: parsed.epochs,
            path: Some(path.to_path_buf()),
        };
        if key.epochs.is_empty() {
            bail!("{}: the key has no epochs", path.display());
        }
        if let Some(epoch) = key.epochs.iter().find(|e| e.number > MAX_EPOCH) {
            bail!(
                "{}: epoch {} is above {MAX_EPOCH}, the last a code can carry",
                path.display(),
                epoch.number
            );
        }
        for pair in key.epochs.windows(2) {
            if pair[1].number != pair[0].number + 1 {
                bail!("{}: epochs must count up by one", path.display());
            }
        }
        for epoch in &key.epochs {
            if dates::parse(&epoch.from).is_none() {
                bail!(
                    "{}: epoch {} starts on `{}`, not a date like 2026-09-01",
                    path.display(),
                    epoch.number,
                    epoch.from
                );
            }
        }
        Ok(key)
    }

    /// Makes a new key file; refuses to replace any file.
    pub fn create(path: &Path) -> Result<Key> {
        if fs::symlink_metadata(path).is_ok() {
            bail!(
                "{} exists; a key file is never overwritten (rotate it with `sabaq keys rotate`)",
                path.display()
            );
        }
        let mut master = [0u8; 32];
        let mut signing_seed = [0u8; 32];
        getrandom::fill(&mut master)
            .and_then(|()| getrandom::fill(&mut signing_seed))
            .map_err(|e| anyhow::anyhow!("the system gave no random bytes: {e}"))?;
        let key = Key {
            master,
            signing_seed,
            epochs: vec![Epoch {
                number: 0,
                from: dates::format(dates::today()),
                revoked: false,
            }],
            path: Some(path.to_path_buf()),
        };
        key.write(path, false)?;
        Ok(key)
    }

    /// Starts a new epoch today; returns its number and the file written (the target when
    /// `path` is a symbolic link).
    pub fn rotate(path: &Path) -> Result<(u8, PathBuf)> {
        change(path, |key, file| {
            let next = key.current_epoch().number + 1;
            if next > MAX_EPOCH {
                bail!(
                    "{} has used all {} epochs; make a new key with `sabaq keys new`",
                    file.display(),
                    MAX_EPOCH + 1
                );
            }
            key.epochs.push(Epoch {
                number: next,
                from: dates::format(dates::today()),
                revoked: false,
            });
            Ok(next)
        })
    }

    /// Marks an epoch revoked: its codes stop verifying. Returns the file written.
    pub fn revoke(path: &Path, number: u8) -> Result<PathBuf> {
        change(path, |key, file| {
            let Some(epoch) = key.epochs.iter_mut().find(|e| e.number == number) else {
                bail!("{} has no epoch {number}", file.display());
            };
            epoch.revoked = true;
            Ok(())
        })
        .map(|((), file)| file)
    }

    /// Writes the file through a private temporary file beside it: the old file stays whole
    /// until the new one is complete on disk.
    fn write(&self, path: &Path, replace: bool) -> Result<()> {
        let text = format!(
            "# Sabaq institution key. Keep it secret, keep a backup, and never put it in a course\n# folder: anyone who has it can make completion codes and sign credentials.\n{}",
            serde_norway::to_string(&KeyText {
                format: FORMAT.to_string(),
                master: to_hex(&self.master),
                signing: to_hex(&self.signing_seed),
                epochs: self.epochs.clone(),
            })?
        );
        write_private_file(path, text.as_bytes(), replace)
    }
}

/// Whether `bytes` hold a Sabaq key file, or its secrets, whatever the file is called and
/// however it was reformatted: a `master` or `signing` field (YAML or JSON, any quoting, any
/// case) whose value is 64 hex digits, or the format mark `sabaq-key-` anywhere in a file that
/// holds 64 hex digits in a row. NUL bytes are skipped, so a copy saved as UTF-16 is found
/// too. One pass, no allocation: builds run it over every file they read or copy.
pub fn looks_like_key(bytes: &[u8]) -> bool {
    const MARK: &[u8] = b"sabaq-key-";
    let mut recent = Recent::default();
    let (mut marked, mut any_secret) = (false, false);
    // The length of the run of hex digits being read, and whether a field name led it.
    let (mut run, mut named) = (0usize, false);
    for &byte in bytes.iter().chain(std::iter::once(&b'\n')) {
        if byte == 0 {
            continue;
        }
        if byte.is_ascii_hexdigit() {
            if run == 0 {
                named = recent.names_a_secret();
            }
            run += 1;
        } else {
            if run == 64 {
                if named {
                    return true;
                }
                any_secret = true;
            }
            run = 0;
        }
        recent.push(byte.to_ascii_lowercase());
        marked = marked || recent.ends_with(MARK);
        if marked && any_secret {
            return true;
        }
    }
    false
}

/// The last bytes read (lowercased), for looking back from where a value starts.
#[derive(Default)]
struct Recent {
    ring: [u8; 32],
    len: usize,
}

impl Recent {
    fn push(&mut self, byte: u8) {
        self.ring[self.len % 32] = byte;
        self.len += 1;
    }

    /// The byte `i` places back (1 is the last one), if it is still held.
    fn back(&self, i: usize) -> Option<u8> {
        (i >= 1 && i <= self.len.min(32)).then(|| self.ring[(self.len - i) % 32])
    }

    fn ends_with(&self, text: &[u8]) -> bool {
        (1..=text.len()).all(|i| self.back(i) == Some(text[text.len() - i]))
    }

    /// Whether the bytes read so far end in `master:` or `signing:`, with quotes, spaces, line
    /// breaks and YAML block marks allowed around the colon.
    fn names_a_secret(&self) -> bool {
        let mut i = 1;
        let mut colon = false;
        while let Some(b) = self.back(i).filter(|b| b" \t\r\n\"':|>-+".contains(b)) {
            colon |= b == b':';
            i += 1;
        }
        colon
            && [b"master".as_slice(), b"signing".as_slice()]
                .iter()
                .any(|name| {
                    (0..name.len()).all(|k| self.back(i + k) == Some(name[name.len() - 1 - k]))
                })
    }
}

/// Changes the key file under an exclusive lock, so that changes from several processes at once
/// all land, one after the other. A symbolic link is followed: the file it points to is the one
/// changed, and the link stays. The new file is written beside the old one and renamed over
/// it, so a crash leaves the old file or the new one.
fn change<T>(path: &Path, edit: impl FnOnce(&mut Key, &Path) -> Result<T>) -> Result<(T, PathBuf)> {
    let target = real_file(path)?;
    let _lock = lock_file(&target)?;
    let mut key = Key::load(&target)?;
    let answer = edit(&mut key, &target)?;
    key.write(&target, true)?;
    Ok((answer, target))
}

/// The file a key path names: itself, or what a symbolic link points to (a link to nothing is
/// refused by name).
fn real_file(path: &Path) -> Result<PathBuf> {
    let meta = fs::symlink_metadata(path)
        .with_context(|| format!("cannot read the key file {}", path.display()))?;
    if !meta.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let target = fs::canonicalize(path).with_context(|| {
        format!(
            "the key file {} is a symbolic link to {}, which cannot be read",
            path.display(),
            fs::read_link(path)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "nothing".to_string())
        )
    })?;
    if !target.is_file() {
        bail!(
            "the key file {} is a symbolic link to {}, which is not a file",
            path.display(),
            target.display()
        );
    }
    Ok(target)
}

/// Holds the exclusive lock of the key file at `path` (released when dropped). Another process
/// may have renamed a new file in while this one waited: the lock is then taken again, on the
/// file now at the path.
fn lock_file(path: &Path) -> Result<File> {
    loop {
        let file = File::open(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock the key file {}", path.display()))?;
        let now = fs::metadata(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        if same_file(&file.metadata()?, &now) {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &fs::Metadata, _b: &fs::Metadata) -> bool {
    true
}

/// Writes a file only its owner can read, through a private temporary file beside it, synced
/// to disk: whatever stood at `path` stays whole until the new file is complete. Without
/// `replace`, an existing file is never replaced. (The key file, issued credentials.)
pub fn write_private_file(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".sabaq-private-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    make_private(temp.as_file())?;
    temp.as_file().write_all(bytes)?;
    temp.as_file().sync_all()?;
    if replace {
        temp.persist(path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
    } else {
        temp.persist_noclobber(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
    }
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn make_private(file: &File) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_file: &File) -> Result<()> {
    Ok(())
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path)
        .with_context(|| format!("cannot read the key file {}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        bail!(
            "the key file {} can be read by others (mode {mode:o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_key_is_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("institution.key");
        let key = Key::create(&path).unwrap();
        assert_eq!(Key::load(&path).unwrap(), key);
        let again = Key::create(&path).unwrap_err().to_string();
        assert!(again.contains("never overwritten"), "{again}");
        assert_eq!(Key::load(&path).unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let open = Key::load(&path).unwrap_err().to_string();
            assert!(open.contains("can be read by others (mode 644)"), "{open}");
        }
    }

    #[test]
    fn key_files_are_known_by_their_content_however_they_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = Key::create(&path).unwrap();
        let file = fs::read_to_string(&path).unwrap();
        assert!(looks_like_key(file.as_bytes()));
        let master = to_hex(&key.master);
        let signing = to_hex(&key.signing_seed);
        let utf16: Vec<u8> = file.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for copy in [
            format!("{{\"format\":\"sabaq-key-1\",\"master\":\"{master}\"}}"),
            format!("MASTER: '{}'\n", master.to_uppercase()),
            format!("notes\nsigning:\n  {signing}\n"),
            format!("signing: >-\n  {signing}\n"),
            format!("format: sabaq-key-1\nother: {master}\n"),
            file.replace('\n', "\r\n"),
        ] {
            assert!(looks_like_key(copy.as_bytes()), "{copy}");
        }
        assert!(looks_like_key(&utf16), "a UTF-16 copy");
        for harmless in [
            format!("The file's SHA-256 is {master}."),
            format!("master: {}\n", &master[..63]),
            format!("master: {master}0\n"),
            "format: sabaq-key-1 is the key file's first field".to_string(),
            "master: 1234\nsigning: abcd\n".to_string(),
        ] {
            assert!(!looks_like_key(harmless.as_bytes()), "{harmless}");
        }
    }

    #[test]
    fn rotation_adds_epochs_and_secrets_differ_by_epoch_module_and_course() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = Key::create(&path).unwrap();
        assert_eq!(Key::rotate(&path).unwrap(), (1, path.clone()));
        Key::revoke(&path, 0).unwrap();
        let rotated = Key::load(&path).unwrap();
        assert_eq!(rotated.current_epoch().number, 1);
        assert!(rotated.epoch(0).unwrap().revoked);
        assert_eq!(
            rotated.module_secret("c", "m", 0),
            key.module_secret("c", "m", 0)
        );
        let s = key.module_secret("c", "m", 0);
        assert_ne!(s, key.module_secret("c", "m", 1));
        assert_ne!(s, key.module_secret("c", "n", 0));
        assert_ne!(s, key.module_secret("d", "m", 0));
        assert_ne!(s, Key::throwaway().module_secret("c", "m", 0));
        assert!(
            Key::revoke(&path, 9)
                .unwrap_err()
                .to_string()
                .contains("no epoch 9")
        );
    }
}
