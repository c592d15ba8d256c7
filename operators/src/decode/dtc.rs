//! OBD-II Mode 03 responses: the stored diagnostic trouble codes.
//!
//! A response is `43` followed by 2-byte codes (legacy form) or by a count
//! byte and then the codes (ISO 15765 / CAN form). The forms are told apart
//! by length: after `43` the legacy form always has an even number of bytes
//! and the ISO form an odd one (`1 + 2·n`). So an odd byte count whose first
//! byte equals the number of 2-byte codes that follow it is the ISO form;
//! any other odd count is an error; an even count is the legacy form.
//! `00 00` is padding in either form and yields no code.

use schemas::Dtc;

use super::DecodeError;

/// Decodes a Mode 03 response (starting with `43`) into its stored codes, in order.
pub fn decode_mode03(bytes: &[u8]) -> Result<Vec<Dtc>, DecodeError> {
    let body = match bytes {
        [0x43, body @ ..] => body,
        [] => return Err(DecodeError::EmptyResponse),
        [other, ..] => return Err(DecodeError::UnknownService(*other)),
    };
    let codes = match body {
        [count, rest @ ..] if body.len() % 2 == 1 && usize::from(*count) == rest.len() / 2 => rest,
        _ if body.len() % 2 == 1 => return Err(DecodeError::DtcLength(body.len())),
        _ => body,
    };
    Ok(codes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .filter(|raw| *raw != 0)
        .map(Dtc)
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::decode::parse_hex;

    fn codes(text: &str) -> Result<Vec<String>, DecodeError> {
        decode_mode03(&parse_hex(text).unwrap()).map(|v| v.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn legacy_form_decodes_every_letter() {
        assert_eq!(codes("43 01 04 80 03 41 23").unwrap(), ["P0104", "B0003", "C0123"]);
        assert_eq!(codes("43 C1 00").unwrap(), ["U0100"]);
    }

    #[test]
    fn iso_15765_form_has_a_count_byte() {
        assert_eq!(codes("43 02 01 04 41 23").unwrap(), ["P0104", "C0123"]);
        assert_eq!(codes("43 00").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn padding_yields_no_code() {
        assert_eq!(codes("43 01 04 00 00 00 00").unwrap(), ["P0104"]);
        assert_eq!(codes("43 03 01 04 00 00 00 00").unwrap(), ["P0104"]);
        assert_eq!(codes("43").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn an_odd_count_without_a_matching_count_byte_is_an_error() {
        assert_eq!(codes("43 05 01 04 41 23"), Err(DecodeError::DtcLength(5)));
        assert_eq!(codes("43 02 01 04"), Err(DecodeError::DtcLength(3)));
        // An odd count whose first byte matches is the ISO form.
        assert_eq!(codes("43 01 04 41").unwrap(), ["P0441"]);
        assert_eq!(codes("41 01 04"), Err(DecodeError::UnknownService(0x41)));
    }
}
