//! The ISO 3166-1 alpha-2 country codes a case study may name. Their names are UI strings of the
//! theme, one per language (`country_JP = "Japan"` in `i18n/en.toml`).

/// The known codes, in order.
const CODES: &[&str] = &[
    "AE", "AR", "AT", "AU", "BD", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EE",
    "EG", "ES", "FI", "FR", "GB", "GR", "HK", "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JP", "KE",
    "KR", "LT", "LU", "LV", "MX", "MY", "NG", "NL", "NO", "NZ", "PE", "PH", "PK", "PL", "PT", "RO",
    "RU", "SA", "SE", "SG", "TH", "TR", "TW", "UA", "US", "VN", "ZA",
];

/// Whether `code` is a known country code.
pub fn is_known(code: &str) -> bool {
    CODES.contains(&code)
}

/// Every known code, for suggestions.
pub fn codes() -> impl Iterator<Item = &'static str> {
    CODES.iter().copied()
}

/// The UI string key of a country's name: `country_JP`.
pub fn key(code: &str) -> String {
    format!("country_{code}")
}
