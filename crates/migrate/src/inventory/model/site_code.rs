//! [`SiteCode`]: the validated three-character site code used everywhere.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A three-character SMS site code: exactly three ASCII characters `A`–`Z` or `0`–`9`.
///
/// Stored inline (it is `Copy`); serialised as its text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SiteCode([u8; 3]);

/// Why a string is not a [`SiteCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SiteCodeError {
    /// The text is not exactly three characters long.
    #[error("site code `{value}` is not exactly 3 characters")]
    Length {
        /// The rejected text.
        value: String,
    },
    /// A character is not an upper-case ASCII letter or a digit.
    #[error("site code `{value}` contains `{ch}`; only A-Z and 0-9 are allowed")]
    Character {
        /// The rejected text.
        value: String,
        /// The first offending character.
        ch: char,
    },
}

impl SiteCode {
    /// Parse a site code (strict: upper-case letters and digits, exactly three).
    ///
    /// # Errors
    /// [`SiteCodeError`] when the text has the wrong length or a character outside `A-Z0-9`.
    pub fn parse(value: &str) -> Result<Self, SiteCodeError> {
        if let Some(ch) = value
            .chars()
            .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
        {
            return Err(SiteCodeError::Character {
                value: value.to_owned(),
                ch,
            });
        }
        let bytes: [u8; 3] = value
            .as_bytes()
            .try_into()
            .map_err(|_| SiteCodeError::Length {
                value: value.to_owned(),
            })?;
        Ok(Self(bytes))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII letters and digits.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for SiteCode {
    type Err = SiteCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for SiteCode {
    type Error = SiteCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SiteCode> for String {
    fn from(code: SiteCode) -> Self {
        code.as_str().to_owned()
    }
}

impl fmt::Display for SiteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SiteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SiteCode({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> SiteCode {
        SiteCode::parse(s).unwrap()
    }

    #[test]
    fn site_code_is_strict() {
        assert_eq!(code("HOU").as_str(), "HOU");
        assert_eq!(code("B01").to_string(), "B01");
        assert!(matches!(
            SiteCode::parse("HO"),
            Err(SiteCodeError::Length { .. })
        ));
        assert!(matches!(
            SiteCode::parse("HOUS"),
            Err(SiteCodeError::Length { .. })
        ));
        assert!(matches!(
            SiteCode::parse("hou"),
            Err(SiteCodeError::Character { ch: 'h', .. })
        ));
        assert!(matches!(
            SiteCode::parse("HÖU"),
            Err(SiteCodeError::Character { ch: 'Ö', .. })
        ));
    }

    #[test]
    fn site_code_serde_round_trip() {
        let json = serde_json::to_string(&code("BMT")).unwrap();
        assert_eq!(json, "\"BMT\"");
        let back: SiteCode = serde_json::from_str(&json).unwrap();
        assert_eq!(back, code("BMT"));
        assert!(serde_json::from_str::<SiteCode>("\"bm\"").is_err());
    }
}
