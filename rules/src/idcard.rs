//! Resident ID card numbers (居民身份证号码, GB 11643-1999): parsing with the check digit, and
//! masking for lists. Pure so the browser can check a number as it is typed.

/// A valid 18-character ID number (the check character upper-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdNumber(String);

/// Why an ID number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters: 17 digits and a digit or X")]
    Format,
    #[error("the first two digits are not a province code")]
    Province,
    #[error("digits 7 to 14 are not a real date of birth")]
    BirthDate,
    #[error("the last character does not match the check digit")]
    CheckDigit,
}

impl IdNumberError {
    /// The message in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            IdNumberError::Format => "身份证号码应为18位：17位数字加1位数字或X",
            IdNumberError::Province => "身份证号码前两位不是有效的省级行政区划代码",
            IdNumberError::BirthDate => "身份证号码第7至14位不是有效的出生日期",
            IdNumberError::CheckDigit => "身份证号码校验码不正确，请核对",
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses and checks a number (surrounding spaces ignored, a lower-case x accepted).
    pub fn parse(text: &str) -> Result<IdNumber, IdNumberError> {
        let text = text.trim().to_ascii_uppercase();
        let bytes = text.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdNumberError::Format);
        }
        let province: u32 = text[..2].parse().map_err(|_| IdNumberError::Format)?;
        if !matches!(province, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
        {
            return Err(IdNumberError::Province);
        }
        let birth = format!("{}-{}-{}", &text[6..10], &text[10..12], &text[12..14]);
        crate::parse_date(&birth).ok_or(IdNumberError::BirthDate)?;
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&bytes[..17]);
        if check_character(&first17) != bytes[17] as char {
            return Err(IdNumberError::CheckDigit);
        }
        Ok(IdNumber(text))
    }

    /// The full number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as lists show it: the first four and the last four characters.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A syntactically valid, fictional number (the GB 11643 example's structure).
    const VALID: &str = "11010519491231002X";

    #[test]
    fn a_number_with_the_right_check_digit_is_accepted() {
        let id = IdNumber::parse(VALID).unwrap();
        assert_eq!(id.as_str(), VALID);
        assert_eq!(IdNumber::parse(" 11010519491231002x ").unwrap(), id);
    }

    #[test]
    fn lists_show_only_the_ends() {
        assert_eq!(
            IdNumber::parse(VALID).unwrap().masked(),
            "1101**********002X"
        );
    }

    #[test]
    fn each_kind_of_mistake_is_named() {
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckDigit)
        );
        assert_eq!(
            IdNumber::parse("1101051949123100"),
            Err(IdNumberError::Format)
        );
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdNumberError::Format)
        );
        assert_eq!(
            IdNumber::parse("99010519491231002X"),
            Err(IdNumberError::Province)
        );
        assert_eq!(
            IdNumber::parse("110105194902300023"),
            Err(IdNumberError::BirthDate)
        );
    }

    #[test]
    fn every_check_character_is_reachable() {
        // Changing the sequence digit walks the check character through all eleven values.
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..=99u32 {
            let body = format!("530102199001011{seq:02}");
            let mut first17 = [0u8; 17];
            first17.copy_from_slice(body.as_bytes());
            let check = check_character(&first17);
            assert!(IdNumber::parse(&format!("{body}{check}")).is_ok());
            seen.insert(check);
        }
        assert_eq!(seen.len(), 11);
    }
}
