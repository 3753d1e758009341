/**
 * Countries, National Agency codes, cities and regions for sample cards. Country codes follow EU
 * usage (`EL` for Greece, `UK` for the United Kingdom). Region names keep their diacritics and
 * sometimes come in the upper case that the exports use.
 */

export type City = {
  name: string;
  region: string;
  /** Postal code pattern: each `9` becomes a random digit. */
  postcode: string;
};

export type Country = {
  code: string;
  /** Relative share of coordinators from this country. */
  weight: number;
  /** National Agency codes (`DE02`); empty where only the executive agency manages projects. */
  agencies: string[];
  /** Language of most summaries written by organisations from this country. */
  language: string;
  tld: string;
  cities: City[];
  streets: string[];
};

export const COUNTRIES: readonly Country[] = [
  {
    code: "DE",
    weight: 14,
    agencies: ["DE02", "DE03", "DE04", "DE05"],
    language: "de",
    tld: "de",
    cities: [
      { name: "Köln", region: "Köln", postcode: "50999" },
      { name: "München", region: "Oberbayern", postcode: "80999" },
      { name: "Berlin", region: "BERLIN", postcode: "10999" },
      { name: "Düsseldorf", region: "NORDRHEIN-WESTFALEN", postcode: "40999" },
      { name: "Stuttgart", region: "BADEN-WÜRTTEMBERG", postcode: "70999" },
      { name: "Lüneburg", region: "Lüneburg", postcode: "21999" },
      { name: "Görlitz", region: "Dresden", postcode: "02999" },
    ],
    streets: ["Hauptstraße", "Schulstraße", "Bahnhofstraße", "Lindenallee", "Am Markt"],
  },
  {
    code: "FR",
    weight: 11,
    agencies: ["FR01", "FR02"],
    language: "fr",
    tld: "fr",
    cities: [
      { name: "Lyon", region: "Rhône-Alpes", postcode: "69999" },
      { name: "Besançon", region: "Franche-Comté", postcode: "25999" },
      { name: "Nîmes", region: "Languedoc-Roussillon", postcode: "30999" },
      { name: "Paris", region: "Île-de-France", postcode: "75999" },
      { name: "Rennes", region: "Bretagne", postcode: "35999" },
      { name: "Orléans", region: "Centre — Val de Loire", postcode: "45999" },
    ],
    streets: ["rue de la République", "avenue Jean Jaurès", "place du Marché", "rue des Écoles"],
  },
  {
    code: "IT",
    weight: 10,
    agencies: ["IT01", "IT02", "IT03"],
    language: "it",
    tld: "it",
    cities: [
      { name: "Palermo", region: "Sicilia", postcode: "90999" },
      { name: "Bologna", region: "Emilia-Romagna", postcode: "40999" },
      { name: "Forlì", region: "Emilia-Romagna", postcode: "47999" },
      { name: "Torino", region: "Piemonte", postcode: "10999" },
      { name: "Cagliari", region: "Sardegna", postcode: "09999" },
      { name: "Bolzano", region: "Provincia Autonoma di Bolzano/Bozen", postcode: "39999" },
    ],
    streets: ["Via Roma", "Via Garibaldi", "Piazza del Popolo", "Corso Vittorio Emanuele II"],
  },
  {
    code: "ES",
    weight: 10,
    agencies: ["ES01", "ES02"],
    language: "es",
    tld: "es",
    cities: [
      { name: "Valencia", region: "Comunidad Valenciana", postcode: "46999" },
      { name: "Córdoba", region: "Andalucía", postcode: "14999" },
      { name: "Bilbao", region: "País Vasco", postcode: "48999" },
      { name: "León", region: "Castilla y León", postcode: "24999" },
      { name: "A Coruña", region: "Galicia", postcode: "15999" },
    ],
    streets: ["Calle Mayor", "Avenida de la Constitución", "Plaza de España", "Calle del Río"],
  },
  {
    code: "PL",
    weight: 9,
    agencies: ["PL01"],
    language: "pl",
    tld: "pl",
    cities: [
      { name: "Łódź", region: "Łódzkie", postcode: "90-999" },
      { name: "Kraków", region: "Małopolskie", postcode: "30-999" },
      { name: "Gdańsk", region: "Pomorskie", postcode: "80-999" },
      { name: "Wrocław", region: "Dolnośląskie", postcode: "50-999" },
      { name: "Białystok", region: "Podlaskie", postcode: "15-999" },
    ],
    streets: ["ul. Piotrkowska", "ul. Mickiewicza", "ul. Szkolna", "al. Niepodległości"],
  },
  {
    code: "RO",
    weight: 6,
    agencies: ["RO01"],
    language: "ro",
    tld: "ro",
    cities: [
      { name: "Iași", region: "Nord-Est", postcode: "700999" },
      { name: "Timișoara", region: "Vest", postcode: "300999" },
      { name: "Brașov", region: "Centru", postcode: "500999" },
    ],
    streets: ["Strada Ștefan cel Mare", "Bulevardul Independenței", "Strada Școlii"],
  },
  {
    code: "PT",
    weight: 5,
    agencies: ["PT01", "PT02"],
    language: "pt",
    tld: "pt",
    cities: [
      { name: "Évora", region: "Alentejo Central", postcode: "7000-999" },
      { name: "Guimarães", region: "Ave", postcode: "4800-999" },
      { name: "Lisboa", region: "Área Metropolitana de Lisboa", postcode: "1100-999" },
    ],
    streets: ["Rua da Liberdade", "Avenida da República", "Largo do Município"],
  },
  {
    code: "EL",
    weight: 4,
    agencies: ["EL01", "EL02"],
    language: "el",
    tld: "gr",
    cities: [
      { name: "ATHINA", region: "Aττική (Attiki)", postcode: "106 99" },
      {
        name: "THESSALONIKI",
        region: "Κεντρική Μακεδονία (Kentriki Makedonia)",
        postcode: "546 99",
      },
      { name: "IRAKLEIO", region: "Κρήτη (Kriti)", postcode: "712 99" },
    ],
    streets: ["ODOS ERMOU", "LEOFOROS VASILISSIS SOFIAS", "PLATEIA ELEFTHERIAS"],
  },
  {
    code: "AT",
    weight: 4,
    agencies: ["AT01", "AT02"],
    language: "de",
    tld: "at",
    cities: [
      { name: "St. Pölten", region: "Niederösterreich", postcode: "3199" },
      { name: "Graz", region: "Steiermark", postcode: "8999" },
      { name: "Wien", region: "Wien", postcode: "1999" },
    ],
    streets: ["Hauptplatz", "Kirchengasse", "Grazer Straße"],
  },
  {
    code: "BE",
    weight: 4,
    agencies: ["BE01", "BE02", "BE03", "BE04", "BE05"],
    language: "fr",
    tld: "be",
    cities: [
      { name: "Liège", region: "Prov. Liège", postcode: "4999" },
      { name: "Bruxelles", region: "Région de Bruxelles-Capitale", postcode: "1999" },
      { name: "Gent", region: "Prov. Oost-Vlaanderen", postcode: "9999" },
    ],
    streets: ["Rue de la Loi", "Chaussée de Louvain", "Korenmarkt"],
  },
  {
    code: "NL",
    weight: 4,
    agencies: ["NL01"],
    language: "nl",
    tld: "nl",
    cities: [
      { name: "Groningen", region: "Groningen", postcode: "9799 AB" },
      { name: "Utrecht", region: "Utrecht", postcode: "3599 CD" },
    ],
    streets: ["Hoofdstraat", "Stationsplein", "Oude Gracht"],
  },
  {
    code: "LT",
    weight: 3,
    agencies: ["LT01"],
    language: "lt",
    tld: "lt",
    cities: [
      { name: "Panevėžys", region: "Panevėžio apskritis", postcode: "35999" },
      { name: "Šiauliai", region: "Šiaulių apskritis", postcode: "76999" },
      { name: "Vilnius", region: "Vilniaus apskritis", postcode: "01999" },
    ],
    streets: ["Vilniaus g.", "Laisvės al.", "Žalgirio g."],
  },
  {
    code: "CZ",
    weight: 3,
    agencies: ["CZ01"],
    language: "cs",
    tld: "cz",
    cities: [
      { name: "Opava", region: "Moravskoslezský kraj", postcode: "746 99" },
      { name: "Brno", region: "Jihomoravský kraj", postcode: "602 99" },
      { name: "České Budějovice", region: "Jihočeský kraj", postcode: "370 99" },
    ],
    streets: ["Náměstí Míru", "Husova", "Palackého"],
  },
  {
    code: "HR",
    weight: 2,
    agencies: ["HR01"],
    language: "hr",
    tld: "hr",
    cities: [
      { name: "Osijek", region: "Osječko-baranjska županija", postcode: "31999" },
      { name: "Split", region: "Jadranska Hrvatska", postcode: "21999" },
    ],
    streets: ["Ulica Matije Gupca", "Ulica kralja Zvonimira", "Trg bana Jelačića"],
  },
  {
    code: "SI",
    weight: 2,
    agencies: ["SI01"],
    language: "sl",
    tld: "si",
    cities: [
      { name: "Ljubljana", region: "Osrednjeslovenska", postcode: "1999" },
      { name: "Maribor", region: "Podravska", postcode: "2999" },
    ],
    streets: ["Prešernova cesta", "Trubarjeva cesta", "Slovenska ulica"],
  },
  {
    code: "LV",
    weight: 2,
    agencies: ["LV01", "LV02"],
    language: "lv",
    tld: "lv",
    cities: [
      { name: "Daugavpils", region: "Latgale", postcode: "LV-5499" },
      { name: "Rīga", region: "Rīga", postcode: "LV-1099" },
    ],
    streets: ["Rīgas iela", "Brīvības iela", "Skolas iela"],
  },
  {
    code: "HU",
    weight: 3,
    agencies: ["HU01"],
    language: "hu",
    tld: "hu",
    cities: [
      { name: "Budapest", region: "Budapest", postcode: "1099" },
      { name: "Pécs", region: "Dél-Dunántúl", postcode: "7699" },
      { name: "Győr", region: "Nyugat-Dunántúl", postcode: "9099" },
    ],
    streets: ["Kossuth Lajos utca", "Petőfi tér", "Fő utca"],
  },
  {
    code: "FI",
    weight: 2,
    agencies: ["FI01"],
    language: "fi",
    tld: "fi",
    cities: [
      { name: "Jyväskylä", region: "Keski-Suomi", postcode: "40999" },
      { name: "Hämeenlinna", region: "Kanta-Häme", postcode: "13999" },
    ],
    streets: ["Kauppakatu", "Yliopistonkatu", "Koulutie"],
  },
  {
    code: "SE",
    weight: 2,
    agencies: ["SE01", "SE02"],
    language: "sv",
    tld: "se",
    cities: [
      { name: "Malmö", region: "Sydsverige", postcode: "211 99" },
      { name: "Umeå", region: "Övre Norrland", postcode: "903 99" },
    ],
    streets: ["Storgatan", "Skolgatan", "Drottninggatan"],
  },
  {
    code: "UK",
    weight: 5,
    agencies: ["UK01"],
    language: "en",
    tld: "org.uk",
    cities: [
      { name: "London", region: "Inner London", postcode: "N1 9AA" },
      { name: "Sunderland", region: "Tyneside", postcode: "SR1 9QZ" },
      { name: "Cardiff", region: "East Wales", postcode: "CF24 9AA" },
    ],
    streets: ["High Street", "Station Road", "Church Lane"],
  },
  {
    code: "IE",
    weight: 2,
    agencies: ["IE01", "IE02"],
    language: "en",
    tld: "ie",
    cities: [
      { name: "Galway", region: "Border, Midland and Western", postcode: "H91 X999" },
      { name: "Cork", region: "Southern and Eastern", postcode: "T12 X999" },
    ],
    streets: ["Main Street", "Bridge Street", "Shop Street"],
  },
  {
    code: "DK",
    weight: 2,
    agencies: ["DK01"],
    language: "da",
    tld: "dk",
    cities: [
      { name: "Aarhus", region: "Midtjylland", postcode: "8999" },
      { name: "Næstved", region: "Sjælland", postcode: "4799" },
    ],
    streets: ["Søndergade", "Skolevej", "Torvet"],
  },
  {
    code: "BG",
    weight: 2,
    agencies: ["BG01"],
    language: "bg",
    tld: "bg",
    cities: [
      { name: "Plovdiv", region: "Yuzhen tsentralen", postcode: "4099" },
      { name: "Sofia", region: "Yugozapaden", postcode: "1099" },
    ],
    streets: ["ul. Vasil Levski", "bul. Bulgaria", "ul. Hristo Botev"],
  },
  {
    code: "TR",
    weight: 4,
    agencies: ["TR01"],
    language: "tr",
    tld: "com.tr",
    cities: [
      { name: "Ankara", region: "Turkey Extra-Regio", postcode: "06999" },
      { name: "İzmir", region: "İzmir", postcode: "35999" },
      { name: "Eskişehir", region: "Eskişehir", postcode: "26999" },
    ],
    streets: ["Atatürk Caddesi", "Cumhuriyet Bulvarı", "Okul Sokak"],
  },
  {
    code: "LI",
    weight: 0.3,
    agencies: ["LI01"],
    language: "de",
    tld: "li",
    cities: [{ name: "Vaduz", region: "Liechtenstein", postcode: "9499" }],
    streets: ["Städtle", "Landstrasse"],
  },
  {
    code: "MT",
    weight: 0.5,
    agencies: ["MT01"],
    language: "en",
    tld: "com.mt",
    cities: [{ name: "Valletta", region: "Malta", postcode: "VLT 1999" }],
    streets: ["Triq ir-Repubblika", "Triq il-Merkanti"],
  },
  {
    code: "CY",
    weight: 0.5,
    agencies: ["CY01"],
    language: "el",
    tld: "com.cy",
    cities: [{ name: "Lefkosia", region: "Κύπρος (Kýpros)", postcode: "1099" }],
    streets: ["Ledras", "Makariou III Avenue"],
  },
  {
    code: "RS",
    weight: 0.5,
    agencies: ["RS01"],
    language: "sr",
    tld: "rs",
    cities: [{ name: "Niš", region: "Serbia", postcode: "18999" }],
    streets: ["Obrenovićeva", "Vidovdanska"],
  },
];

/** Countries outside the programme area that take part as partners (no National Agency). */
export const PARTNER_COUNTRIES: readonly Country[] = [
  {
    code: "UA",
    weight: 1,
    agencies: [],
    language: "uk",
    tld: "ua",
    cities: [{ name: "Lviv", region: "Ukraine", postcode: "79099" }],
    streets: ["vul. Shevchenka", "prosp. Svobody"],
  },
  {
    code: "MA",
    weight: 1,
    agencies: [],
    language: "fr",
    tld: "ma",
    cities: [{ name: "Fès", region: "Morocco", postcode: "30099" }],
    streets: ["Avenue Hassan II", "Rue Allal Ben Abdellah"],
  },
  {
    code: "KR",
    weight: 0.5,
    agencies: [],
    language: "en",
    tld: "ac.kr",
    cities: [{ name: "DAEJEON", region: "Korea, Republic of", postcode: "34199" }],
    streets: ["Hanbat-daero", "Dunsan-ro"],
  },
];

export const COUNTRY_WEIGHTS: readonly (readonly [Country, number])[] = COUNTRIES.map(
  (country) => [country, country.weight] as const,
);

export const ALL_COUNTRIES: readonly (readonly [Country, number])[] = [
  ...COUNTRY_WEIGHTS,
  ...PARTNER_COUNTRIES.map((country) => [country, country.weight] as const),
];
