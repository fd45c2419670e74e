//! Country names for ISO 3166-1 alpha-2 codes, in the languages kyozai ships UI strings for.

/// (code, Japanese name, English name).
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AE", "アラブ首長国連邦", "United Arab Emirates"),
    ("AR", "アルゼンチン", "Argentina"),
    ("AT", "オーストリア", "Austria"),
    ("AU", "オーストラリア", "Australia"),
    ("BD", "バングラデシュ", "Bangladesh"),
    ("BE", "ベルギー", "Belgium"),
    ("BR", "ブラジル", "Brazil"),
    ("CA", "カナダ", "Canada"),
    ("CH", "スイス", "Switzerland"),
    ("CL", "チリ", "Chile"),
    ("CN", "中国", "China"),
    ("CO", "コロンビア", "Colombia"),
    ("CZ", "チェコ", "Czechia"),
    ("DE", "ドイツ", "Germany"),
    ("DK", "デンマーク", "Denmark"),
    ("EE", "エストニア", "Estonia"),
    ("EG", "エジプト", "Egypt"),
    ("ES", "スペイン", "Spain"),
    ("FI", "フィンランド", "Finland"),
    ("FR", "フランス", "France"),
    ("GB", "英国", "United Kingdom"),
    ("GR", "ギリシャ", "Greece"),
    ("HK", "香港", "Hong Kong"),
    ("HU", "ハンガリー", "Hungary"),
    ("ID", "インドネシア", "Indonesia"),
    ("IE", "アイルランド", "Ireland"),
    ("IL", "イスラエル", "Israel"),
    ("IN", "インド", "India"),
    ("IS", "アイスランド", "Iceland"),
    ("IT", "イタリア", "Italy"),
    ("JP", "日本", "Japan"),
    ("KE", "ケニア", "Kenya"),
    ("KR", "韓国", "South Korea"),
    ("LT", "リトアニア", "Lithuania"),
    ("LU", "ルクセンブルク", "Luxembourg"),
    ("LV", "ラトビア", "Latvia"),
    ("MX", "メキシコ", "Mexico"),
    ("MY", "マレーシア", "Malaysia"),
    ("NG", "ナイジェリア", "Nigeria"),
    ("NL", "オランダ", "Netherlands"),
    ("NO", "ノルウェー", "Norway"),
    ("NZ", "ニュージーランド", "New Zealand"),
    ("PE", "ペルー", "Peru"),
    ("PH", "フィリピン", "Philippines"),
    ("PK", "パキスタン", "Pakistan"),
    ("PL", "ポーランド", "Poland"),
    ("PT", "ポルトガル", "Portugal"),
    ("RO", "ルーマニア", "Romania"),
    ("RU", "ロシア", "Russia"),
    ("SA", "サウジアラビア", "Saudi Arabia"),
    ("SE", "スウェーデン", "Sweden"),
    ("SG", "シンガポール", "Singapore"),
    ("TH", "タイ", "Thailand"),
    ("TR", "トルコ", "Türkiye"),
    ("TW", "台湾", "Taiwan"),
    ("UA", "ウクライナ", "Ukraine"),
    ("US", "米国", "United States"),
    ("VN", "ベトナム", "Viet Nam"),
    ("ZA", "南アフリカ", "South Africa"),
];

/// The country's name in `lang` (Japanese or English; English for other languages).
pub fn name(code: &str, lang: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, ja, en)| if lang == "ja" { *ja } else { *en })
}

/// Every known code, for suggestions.
pub fn codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|(c, _, _)| *c)
}
