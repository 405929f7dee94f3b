//! Our own country name tables: the aliases GeoNames lacks (short forms, historic names, common
//! news spellings) and the demonyms/adjectives that point at a country ("Libyan" → LY).

/// Extra names for a country, by ISO-2 code. GeoNames' own English name is indexed as well.
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "US",
        &[
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "America",
            "United States of America",
            "the States",
        ],
    ),
    (
        "GB",
        &[
            "UK",
            "U.K.",
            "Britain",
            "Great Britain",
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    ),
    (
        "RU",
        &[
            "Soviet Union",
            "USSR",
            "U.S.S.R.",
            "Russian Federation",
            "Soviet Russia",
        ],
    ),
    (
        "DE",
        &[
            "West Germany",
            "East Germany",
            "Federal Republic of Germany",
            "German Democratic Republic",
            "FRG",
            "GDR",
        ],
    ),
    ("NL", &["Netherlands", "Holland"]),
    ("MM", &["Burma"]),
    (
        "CD",
        &[
            "Zaire",
            "DR Congo",
            "DRC",
            "Congo-Kinshasa",
            "Democratic Republic of Congo",
        ],
    ),
    ("CG", &["Congo", "Congo-Brazzaville", "Republic of Congo"]),
    ("KH", &["Kampuchea"]),
    ("CI", &["Cote d'Ivoire", "Ivory Coast"]),
    ("CZ", &["Czechoslovakia", "Czech Republic"]),
    ("RS", &["Yugoslavia"]),
    ("AE", &["UAE", "U.A.E.", "Emirates"]),
    ("SZ", &["Swaziland"]),
    ("CV", &["Cape Verde"]),
    ("MO", &["Macau"]),
    ("WS", &["Western Samoa"]),
    ("VA", &["Vatican City", "Holy See"]),
    ("TT", &["Trinidad"]),
    ("AG", &["Antigua"]),
    ("YE", &["North Yemen", "South Yemen", "Yemen Arab Republic"]),
    (
        "KR",
        &[
            "Korea",
            "Republic of Korea",
            "S. Korea",
            "South Korean Republic",
        ],
    ),
    ("KP", &["Democratic People's Republic of Korea", "N. Korea"]),
    ("TW", &["Republic of China", "Formosa"]),
    (
        "CN",
        &["People's Republic of China", "PRC", "Mainland China"],
    ),
    ("VN", &["Viet Nam"]),
    ("LA", &["Lao PDR"]),
    ("IR", &["Persia"]),
    ("MK", &["Macedonia"]),
    ("BA", &["Bosnia", "Herzegovina"]),
    ("TL", &["East Timor", "Timor-Leste"]),
    ("BF", &["Upper Volta"]),
    ("BJ", &["Dahomey"]),
    ("ZW", &["Rhodesia"]),
    ("LK", &["Ceylon"]),
    ("TH", &["Siam"]),
    ("PG", &["PNG"]),
    ("VI", &["US Virgin Islands"]),
    ("PS", &["Palestine", "West Bank", "Gaza", "Gaza Strip"]),
    ("FK", &["Falklands", "Malvinas"]),
    ("MD", &["Moldavia"]),
    ("BY", &["Byelorussia", "Belorussia"]),
    ("KG", &["Kirghizia"]),
    ("PH", &["the Philippines"]),
    ("SA", &["Saudi"]),
    ("BS", &["the Bahamas"]),
    ("GM", &["the Gambia"]),
    ("HK", &["Hongkong"]),
    ("NZ", &["N.Z."]),
    ("CH", &["Swiss Confederation"]),
];

/// Adjectives and demonyms pointing at a country ("Libyan", "Libyans" → LY). Plural `s` forms are
/// added by the lookup.
pub const DEMONYMS: &[(&str, &[&str])] = &[
    ("AF", &["Afghan", "Afghani"]),
    ("AL", &["Albanian"]),
    ("DZ", &["Algerian"]),
    ("AO", &["Angolan"]),
    ("AR", &["Argentine", "Argentinian", "Argentinean"]),
    ("AM", &["Armenian"]),
    ("AU", &["Australian", "Aussie"]),
    ("AT", &["Austrian"]),
    ("AZ", &["Azerbaijani", "Azeri"]),
    ("BH", &["Bahraini"]),
    ("BD", &["Bangladeshi"]),
    ("BY", &["Belarusian", "Byelorussian"]),
    ("BE", &["Belgian"]),
    ("BO", &["Bolivian"]),
    ("BA", &["Bosnian"]),
    ("BR", &["Brazilian"]),
    ("BG", &["Bulgarian"]),
    ("MM", &["Burmese"]),
    ("KH", &["Cambodian", "Kampuchean"]),
    ("CM", &["Cameroonian"]),
    ("CA", &["Canadian"]),
    ("CL", &["Chilean"]),
    ("CN", &["Chinese"]),
    ("CO", &["Colombian"]),
    ("CG", &["Congolese"]),
    ("CR", &["Costa Rican"]),
    ("HR", &["Croatian", "Croat"]),
    ("CU", &["Cuban"]),
    ("CY", &["Cypriot"]),
    ("CZ", &["Czech", "Czechoslovak"]),
    ("DK", &["Danish", "Dane"]),
    ("DO", &["Dominican"]),
    ("EC", &["Ecuadorean", "Ecuadorian"]),
    ("EG", &["Egyptian"]),
    ("SV", &["Salvadorean", "Salvadoran"]),
    ("EE", &["Estonian"]),
    ("ET", &["Ethiopian"]),
    ("FJ", &["Fijian"]),
    ("FI", &["Finnish", "Finn"]),
    ("FR", &["French", "Frenchman"]),
    ("GA", &["Gabonese"]),
    ("GE", &["Georgian"]),
    ("DE", &["German", "West German", "East German"]),
    ("GH", &["Ghanaian"]),
    ("GR", &["Greek"]),
    ("GT", &["Guatemalan"]),
    ("HT", &["Haitian"]),
    ("HN", &["Honduran"]),
    ("HU", &["Hungarian"]),
    ("IS", &["Icelandic", "Icelander"]),
    ("IN", &["Indian"]),
    ("ID", &["Indonesian"]),
    ("IR", &["Iranian", "Persian"]),
    ("IQ", &["Iraqi"]),
    ("IE", &["Irish"]),
    ("IL", &["Israeli"]),
    ("IT", &["Italian"]),
    ("CI", &["Ivorian"]),
    ("JM", &["Jamaican"]),
    ("JP", &["Japanese"]),
    ("JO", &["Jordanian"]),
    ("KZ", &["Kazakh", "Kazakhstani"]),
    ("KE", &["Kenyan"]),
    ("KW", &["Kuwaiti"]),
    ("LA", &["Laotian", "Lao"]),
    ("LV", &["Latvian"]),
    ("LB", &["Lebanese"]),
    ("LR", &["Liberian"]),
    ("LY", &["Libyan"]),
    ("LT", &["Lithuanian"]),
    ("LU", &["Luxembourgish", "Luxembourger"]),
    ("MG", &["Malagasy"]),
    ("MY", &["Malaysian"]),
    ("MT", &["Maltese"]),
    ("MX", &["Mexican"]),
    ("MD", &["Moldovan"]),
    ("MN", &["Mongolian"]),
    ("MA", &["Moroccan"]),
    ("MZ", &["Mozambican"]),
    ("NA", &["Namibian"]),
    ("NP", &["Nepalese", "Nepali"]),
    ("NL", &["Dutch", "Dutchman"]),
    ("NZ", &["New Zealander"]),
    ("NI", &["Nicaraguan"]),
    ("NG", &["Nigerian"]),
    ("KP", &["North Korean"]),
    ("NO", &["Norwegian"]),
    ("OM", &["Omani"]),
    ("PK", &["Pakistani"]),
    ("PS", &["Palestinian"]),
    ("PA", &["Panamanian"]),
    ("PY", &["Paraguayan"]),
    ("PE", &["Peruvian"]),
    ("PH", &["Philippine", "Filipino"]),
    ("PL", &["Polish", "Pole"]),
    ("PT", &["Portuguese"]),
    ("QA", &["Qatari"]),
    ("RO", &["Romanian", "Rumanian"]),
    ("RU", &["Russian", "Soviet"]),
    ("RW", &["Rwandan"]),
    ("SA", &["Saudi Arabian"]),
    ("SN", &["Senegalese"]),
    ("RS", &["Serbian", "Serb", "Yugoslav", "Yugoslavian"]),
    ("SG", &["Singaporean", "Singapore"]),
    ("SK", &["Slovak", "Slovakian"]),
    ("SI", &["Slovenian", "Slovene"]),
    ("SO", &["Somali"]),
    ("ZA", &["South African"]),
    ("KR", &["South Korean", "Korean"]),
    ("ES", &["Spanish", "Spaniard"]),
    ("LK", &["Sri Lankan"]),
    ("SD", &["Sudanese"]),
    ("SE", &["Swedish", "Swede"]),
    ("CH", &["Swiss"]),
    ("SY", &["Syrian"]),
    ("TW", &["Taiwanese"]),
    ("TZ", &["Tanzanian"]),
    ("TH", &["Thai"]),
    ("TN", &["Tunisian"]),
    ("TR", &["Turkish", "Turk"]),
    ("UG", &["Ugandan"]),
    ("UA", &["Ukrainian"]),
    ("AE", &["Emirati"]),
    (
        "GB",
        &["British", "Briton", "English", "Scottish", "Scot", "Welsh"],
    ),
    ("US", &["American", "U.S.-based"]),
    ("UY", &["Uruguayan"]),
    ("UZ", &["Uzbek"]),
    ("VE", &["Venezuelan"]),
    ("VN", &["Vietnamese"]),
    ("YE", &["Yemeni"]),
    ("ZM", &["Zambian"]),
    ("ZW", &["Zimbabwean"]),
];

/// The ISO-2 code a demonym or country adjective points at ("Libyans" → "LY"), by [`name_key`].
///
/// [`name_key`]: super::text::name_key
pub fn demonym_code(key: &str) -> Option<&'static str> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for (code, words) in DEMONYMS {
            for w in *words {
                let k = super::text::name_key(w);
                t.insert(format!("{k}s"), *code);
                t.insert(k, *code);
            }
        }
        t
    });
    table.get(key).copied()
}

/// Abbreviations of first-order regions used in datelines and addresses ("Calif.", "N.J.",
/// "Ont."), by country code and GeoNames admin1 code.
pub const REGION_ALIASES: &[(&str, &str, &[&str])] = &[
    ("US", "AL", &["Ala."]),
    ("US", "AK", &["Alas."]),
    ("US", "AZ", &["Ariz."]),
    ("US", "AR", &["Ark."]),
    ("US", "CA", &["Calif.", "Cal."]),
    ("US", "CO", &["Colo."]),
    ("US", "CT", &["Conn."]),
    ("US", "DE", &["Del."]),
    ("US", "DC", &["D.C.", "Washington, D.C."]),
    ("US", "FL", &["Fla."]),
    ("US", "GA", &["Ga."]),
    ("US", "IL", &["Ill."]),
    ("US", "IN", &["Ind."]),
    ("US", "KS", &["Kan.", "Kans."]),
    ("US", "KY", &["Ky."]),
    ("US", "LA", &["La."]),
    ("US", "MD", &["Md."]),
    ("US", "MA", &["Mass."]),
    ("US", "MI", &["Mich."]),
    ("US", "MN", &["Minn."]),
    ("US", "MS", &["Miss."]),
    ("US", "MO", &["Mo."]),
    ("US", "MT", &["Mont."]),
    ("US", "NE", &["Neb.", "Nebr."]),
    ("US", "NV", &["Nev."]),
    ("US", "NH", &["N.H."]),
    ("US", "NJ", &["N.J."]),
    ("US", "NM", &["N.M.", "N.Mex."]),
    ("US", "NY", &["N.Y."]),
    ("US", "NC", &["N.C."]),
    ("US", "ND", &["N.D.", "N.Dak."]),
    ("US", "OK", &["Okla."]),
    ("US", "OR", &["Ore.", "Oreg."]),
    ("US", "PA", &["Pa.", "Penn.", "Penna."]),
    ("US", "RI", &["R.I."]),
    ("US", "SC", &["S.C."]),
    ("US", "SD", &["S.D.", "S.Dak."]),
    ("US", "TN", &["Tenn."]),
    ("US", "TX", &["Tex."]),
    ("US", "VT", &["Vt."]),
    ("US", "VA", &["Va."]),
    ("US", "WA", &["Wash."]),
    ("US", "WV", &["W.Va.", "W. Va."]),
    ("US", "WI", &["Wis.", "Wisc."]),
    ("US", "WY", &["Wyo."]),
    ("CA", "01", &["Alta."]),
    ("CA", "02", &["B.C."]),
    ("CA", "03", &["Man."]),
    ("CA", "04", &["N.B."]),
    ("CA", "07", &["N.S."]),
    ("CA", "08", &["Ont."]),
    ("CA", "09", &["P.E.I."]),
    ("CA", "10", &["Que.", "Quebec"]),
    ("CA", "11", &["Sask."]),
    ("CA", "05", &["Nfld.", "Newfoundland"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_and_plurals_point_at_countries() {
        assert_eq!(demonym_code("libyan"), Some("LY"));
        assert_eq!(demonym_code("libyans"), Some("LY"));
        assert_eq!(demonym_code("west german"), Some("DE"));
        assert_eq!(demonym_code("table"), None);
    }

    #[test]
    fn alias_codes_are_well_formed() {
        for (code, names) in ALIASES.iter().chain(DEMONYMS) {
            assert_eq!(code.len(), 2, "{code}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase()), "{code}");
            assert!(!names.is_empty(), "{code}");
        }
    }
}
