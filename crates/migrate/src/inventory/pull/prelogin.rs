//! A bare TDS PRELOGIN exchange to learn the server's version before logging in.
//!
//! tiberius speaks TDS 7.3 and cannot log in to SQL Server 2000 (TDS 8.0 / 7.1); its failure
//! there is an opaque protocol error. Every SQL Server since 2000 answers PRELOGIN with its
//! version, so asking first lets `inventory pull` say plainly "SQL Server 2000: use the offline
//! route" instead. No credentials are sent.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// TDS packet type of a PRELOGIN request.
const PRELOGIN: u8 = 0x12;
/// TDS packet type of a server response.
const TABULAR_RESULT: u8 = 0x04;
const OPTION_VERSION: u8 = 0x00;
const OPTION_ENCRYPTION: u8 = 0x01;
const OPTION_TERMINATOR: u8 = 0xFF;
/// We only ask; whether the real login encrypts is tiberius's negotiation.
const ENCRYPT_NOT_SUP: u8 = 0x02;

/// A SQL Server version as PRELOGIN reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServerVersion {
    /// Major version: 8 = SQL Server 2000, 9 = 2005, 10 = 2008.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
    /// Build number.
    pub build: u16,
}

impl ServerVersion {
    /// The product name for the major version.
    pub fn product(&self) -> &'static str {
        match self.major {
            0..=6 => "SQL Server 6.x or older",
            7 => "SQL Server 7.0",
            8 => "SQL Server 2000",
            9 => "SQL Server 2005",
            10 => "SQL Server 2008",
            11 => "SQL Server 2012",
            _ => "SQL Server 2014 or later",
        }
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}.{}", self.major, self.minor, self.build)
    }
}

/// The PRELOGIN request packet: VERSION and ENCRYPTION options.
pub(crate) fn request() -> Vec<u8> {
    // Option table: 2 entries of 5 bytes and a terminator, then the option data.
    let table_len: u16 = 2 * 5 + 1;
    let mut payload = vec![
        OPTION_VERSION,
        0,
        0,
        0,
        6,
        OPTION_ENCRYPTION,
        0,
        0,
        0,
        1,
        OPTION_TERMINATOR,
    ];
    payload[1..3].copy_from_slice(&table_len.to_be_bytes());
    payload[6..8].copy_from_slice(&(table_len + 6).to_be_bytes());
    // Client version 9.0.0.0, sub-build 0.
    payload.extend_from_slice(&[9, 0, 0, 0, 0, 0]);
    payload.push(ENCRYPT_NOT_SUP);
    let total = (payload.len() + 8) as u16;
    let mut packet = vec![PRELOGIN, 0x01];
    packet.extend_from_slice(&total.to_be_bytes());
    packet.extend_from_slice(&[0, 0, 1, 0]);
    packet.extend_from_slice(&payload);
    packet
}

/// The server version in a PRELOGIN response packet (header included), if it has one.
pub(crate) fn parse_response(packet: &[u8]) -> Option<ServerVersion> {
    if packet.len() < 8 || packet[0] != TABULAR_RESULT {
        return None;
    }
    let payload = &packet[8..];
    let mut at = 0;
    while let Some(&token) = payload.get(at) {
        if token == OPTION_TERMINATOR {
            return None;
        }
        let entry = payload.get(at..at + 5)?;
        let offset = usize::from(u16::from_be_bytes([entry[1], entry[2]]));
        let len = usize::from(u16::from_be_bytes([entry[3], entry[4]]));
        if token == OPTION_VERSION && len >= 4 {
            let data = payload.get(offset..offset + 4)?;
            return Some(ServerVersion {
                major: data[0],
                minor: data[1],
                build: u16::from_be_bytes([data[2], data[3]]),
            });
        }
        at += 5;
    }
    None
}

/// Ask `host:port` for its version. `Ok(None)` when the server answers but not with a
/// PRELOGIN response we understand (SQL Server 7.0 and older, or something else).
///
/// # Errors
/// Connection and I/O errors (unreachable host, refused, timeout).
pub(crate) fn probe(host: &str, port: u16, timeout: Duration) -> io::Result<Option<ServerVersion>> {
    let addr = (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address for host"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(&request())?;
    let mut header = [0u8; 8];
    stream.read_exact(&mut header)?;
    let len = usize::from(u16::from_be_bytes([header[2], header[3]]));
    if !(8..=4096).contains(&len) {
        return Ok(None);
    }
    let mut packet = header.to_vec();
    packet.resize(len, 0);
    stream.read_exact(&mut packet[8..])?;
    Ok(parse_response(&packet))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_well_formed() {
        let p = request();
        assert_eq!(p[0], PRELOGIN);
        assert_eq!(usize::from(u16::from_be_bytes([p[2], p[3]])), p.len());
        // VERSION option points at 6 bytes holding 9.0.
        let payload = &p[8..];
        let off = usize::from(u16::from_be_bytes([payload[1], payload[2]]));
        assert_eq!(&payload[off..off + 2], &[9, 0]);
    }

    fn response(major: u8, minor: u8, build: u16) -> Vec<u8> {
        // Server responses list ENCRYPTION before VERSION sometimes; put it first here.
        let mut payload = vec![
            OPTION_ENCRYPTION,
            0,
            11,
            0,
            1,
            OPTION_VERSION,
            0,
            12,
            0,
            6,
            0xFF,
        ];
        payload.push(0x00);
        payload.extend_from_slice(&[major, minor]);
        payload.extend_from_slice(&build.to_be_bytes());
        payload.extend_from_slice(&[0, 0]);
        let mut packet = vec![TABULAR_RESULT, 1];
        packet.extend_from_slice(&((payload.len() + 8) as u16).to_be_bytes());
        packet.extend_from_slice(&[0, 0, 1, 0]);
        packet.extend_from_slice(&payload);
        packet
    }

    #[test]
    fn parses_sql_2000_and_2005_versions() {
        let v = parse_response(&response(8, 0, 2039)).unwrap();
        assert_eq!(
            (v.to_string().as_str(), v.product()),
            ("8.00.2039", "SQL Server 2000")
        );
        let v = parse_response(&response(9, 0, 3042)).unwrap();
        assert_eq!(v.product(), "SQL Server 2005");
        assert_eq!(parse_response(&[0x04, 1, 0, 8, 0, 0, 1, 0]), None);
        assert_eq!(parse_response(b"garbage"), None);
        let mut truncated = response(9, 0, 1);
        truncated.truncate(14);
        assert_eq!(parse_response(&truncated), None);
    }
}
