/**
 * Programme profiles for sample cards: which programme, key action and action type a card
 * belongs to, how its identifier is built, and the usual range of grants and partner counts.
 * The weights give a mix close to the catalogue's, where Erasmus+ mobility projects dominate.
 */
import type { Random } from "./random.ts";

export type IdentifierParts = {
  callYear: number;
  /** Coordinator's country code. */
  country: string;
  /** Coordinator's National Agency code, or undefined for projects managed by EACEA. */
  agency: string | undefined;
  /** A number unique to the card within the sample. */
  serial: number;
};

export type ProgrammeProfile = {
  key: string;
  weight: number;
  /** Programme name as the importer writes it (legacy names come from `Programme Funding`). */
  programme: string;
  /** Key action (Erasmus+) or sub-programme; one is picked per card. */
  subProgrammes: readonly string[];
  /** Actions of legacy and Creative Europe projects; one is picked per card. */
  actions: readonly string[];
  /** Action types (Erasmus+) or activity types (Creative Europe); empty for legacy programmes. */
  actionTypes: readonly string[];
  /** `national` when a National Agency manages the project, else EACEA. */
  management: "national" | "eacea";
  callYears: readonly [number, number];
  grant: readonly [number, number];
  /** Typical partner count range; the generator adds a rare long tail above it. */
  partners: readonly [number, number];
  durationMonths: readonly [number, number];
  identifier(parts: IdentifierParts, random: Random): { id: string; externalReference?: string };
  /** Platform folder of the card page this kind of project had. */
  platform: "erasmus-plus" | "creative-europe";
  /** Whether the programme's export has a Topics column. */
  hasTopics: boolean;
};

const KA1 = "Learning Mobility of Individuals";
const KA2 = "Cooperation for innovation and the exchange of good practices";
const KA3 = "Support for policy reform";

/**
 * First number of `EACEA-N` identifiers. Every programme that uses them adds the card's serial
 * to this same base. Serials are unique within a sample, so the identifiers never collide.
 */
const EACEA_BASE = 100000;

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** `2019-1-DE02-KA204-005678`: call year, round, National Agency, action code, serial. */
function nationalIdentifier(code: string) {
  return ({ callYear, agency, serial }: IdentifierParts) => ({
    id: `${callYear}-1-${agency}-${code}-${pad(serial, 6)}`,
  });
}

/**
 * `2023-1-DE02-KA220-SCH-000123456`: the 2021-2027 layout adds the field of education after the
 * action code and widens the serial to nine digits.
 */
function nationalIdentifier2021(code: string, field: string) {
  return ({ callYear, agency, serial }: IdentifierParts) => ({
    id: `${callYear}-1-${agency}-${code}-${field}-${pad(serial, 9)}`,
  });
}

/** `585432-EPP-1-2017-1-ES-EPPKA2-CBHE-JP`: EACEA number, programme, call year, country, action. */
function eaceaIdentifier(programmeCode: string, actionCode: string) {
  return ({ callYear, country, serial }: IdentifierParts) => ({
    id: `${550000 + serial}-${programmeCode}-1-${callYear}-1-${country}-${actionCode}`,
  });
}

export const PROGRAMME_PROFILES: readonly ProgrammeProfile[] = [
  {
    key: "ka101",
    weight: 18,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["School education staff mobility"],
    management: "national",
    callYears: [2014, 2020],
    grant: [2000, 120000],
    partners: [0, 2],
    durationMonths: [12, 24],
    identifier: nationalIdentifier("KA101"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka102",
    weight: 12,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["VET learner and staff mobility"],
    management: "national",
    callYears: [2014, 2020],
    grant: [15000, 400000],
    partners: [1, 8],
    durationMonths: [12, 24],
    identifier: nationalIdentifier("KA102"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka103",
    weight: 8,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["Higher education student and staff mobility"],
    management: "national",
    callYears: [2014, 2020],
    grant: [20000, 2500000],
    partners: [0, 0],
    durationMonths: [16, 26],
    identifier: nationalIdentifier("KA103"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka104",
    weight: 4,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["Adult education staff mobility"],
    management: "national",
    callYears: [2014, 2020],
    grant: [5000, 90000],
    partners: [0, 3],
    durationMonths: [12, 24],
    identifier: nationalIdentifier("KA104"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka105",
    weight: 10,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["Youth mobility"],
    management: "national",
    callYears: [2014, 2020],
    grant: [8000, 60000],
    partners: [1, 10],
    durationMonths: [6, 18],
    identifier: nationalIdentifier("KA105"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka201",
    weight: 4,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships for school education"],
    management: "national",
    callYears: [2014, 2020],
    grant: [30000, 300000],
    partners: [2, 7],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA201"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka202",
    weight: 4,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships for vocational education and training"],
    management: "national",
    callYears: [2014, 2020],
    grant: [40000, 450000],
    partners: [2, 8],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA202"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka203",
    weight: 3,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships for higher education"],
    management: "national",
    callYears: [2014, 2020],
    grant: [60000, 450000],
    partners: [2, 10],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA203"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka204",
    weight: 3,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships for adult education"],
    management: "national",
    callYears: [2014, 2020],
    grant: [25000, 300000],
    partners: [2, 7],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA204"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka205",
    weight: 2,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships for youth"],
    management: "national",
    callYears: [2014, 2020],
    grant: [20000, 250000],
    partners: [1, 6],
    durationMonths: [12, 30],
    identifier: nationalIdentifier("KA205"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka229",
    weight: 5,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["School Exchange Partnerships"],
    management: "national",
    callYears: [2018, 2020],
    grant: [15000, 35000],
    partners: [0, 0],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA229"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka200",
    weight: 1,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Strategic Partnerships addressing more than one field"],
    management: "national",
    callYears: [2014, 2016],
    grant: [50000, 400000],
    partners: [2, 8],
    durationMonths: [24, 36],
    identifier: nationalIdentifier("KA200"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "cbhe",
    weight: 1,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Capacity Building in higher education"],
    management: "eacea",
    callYears: [2015, 2020],
    grant: [500000, 1000000],
    partners: [6, 22],
    durationMonths: [24, 36],
    identifier: eaceaIdentifier("EPP", "EPPKA2-CBHE-JP"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "knowledge-alliance",
    weight: 0.5,
    programme: "Erasmus+",
    subProgrammes: [KA2],
    actions: [],
    actionTypes: ["Knowledge Alliances"],
    management: "eacea",
    callYears: [2014, 2020],
    grant: [600000, 1000000],
    partners: [5, 14],
    durationMonths: [24, 36],
    identifier: eaceaIdentifier("EPP", "EPPKA2-KA"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka347",
    weight: 1.5,
    programme: "Erasmus+",
    subProgrammes: [KA3],
    actions: [],
    actionTypes: ["Meetings between young people and decision-makers in the field of youth"],
    management: "national",
    callYears: [2014, 2020],
    grant: [5000, 50000],
    partners: [0, 4],
    durationMonths: [6, 18],
    identifier: nationalIdentifier("KA347"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "forward",
    weight: 0.3,
    programme: "Erasmus+",
    subProgrammes: [KA3],
    actions: [],
    actionTypes: ["Forward looking cooperation projects"],
    management: "eacea",
    callYears: [2015, 2020],
    grant: [300000, 500000],
    partners: [3, 12],
    durationMonths: [24, 36],
    identifier: eaceaIdentifier("EPP", "EPPKA3-PI-FORWARD"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "jean-monnet",
    weight: 1.5,
    programme: "Erasmus+",
    subProgrammes: ["Jean Monnet Activities"],
    actions: [],
    actionTypes: ["Jean Monnet Chairs", "Jean Monnet Modules", "Jean Monnet Projects"],
    management: "eacea",
    callYears: [2014, 2020],
    grant: [30000, 60000],
    partners: [0, 0],
    durationMonths: [12, 36],
    identifier: (parts, random) =>
      eaceaIdentifier(
        "EPP",
        random.pick(["EPPJMO-CHAIR", "EPPJMO-MODULE", "EPPJMO-PROJECT"]),
      )(parts),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "sport",
    weight: 1.5,
    programme: "Erasmus+",
    subProgrammes: ["Sport"],
    actions: [],
    actionTypes: [
      "Collaborative Partnerships",
      "Small Collaborative Partnerships",
      "Not-for-profit European sport events",
    ],
    management: "eacea",
    callYears: [2014, 2020],
    grant: [50000, 500000],
    partners: [2, 12],
    durationMonths: [12, 36],
    identifier: eaceaIdentifier("EPP", "SPO-SCP"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "creative-europe-culture",
    weight: 3,
    programme: "Creative Europe",
    subProgrammes: ["Culture"],
    actions: ["Cooperation projects"],
    actionTypes: [
      "Theatre, Dance, Music, Street art",
      "Creative writing, Translation, Publishing",
      "Tangible culture - Museums, Intangible culture",
      "Tangible culture - Libraries and archives",
      "Design, Architecture, Visual arts",
      "Music",
    ],
    management: "eacea",
    callYears: [2014, 2020],
    grant: [100000, 2000000],
    partners: [2, 15],
    durationMonths: [18, 48],
    identifier: (parts, random) =>
      eaceaIdentifier("CREA", `CULT-${random.pick(["COOP1", "COOP2"])}`)(parts),
    platform: "creative-europe",
    hasTopics: false,
  },
  {
    key: "creative-europe-media",
    weight: 1.5,
    programme: "Creative Europe",
    subProgrammes: ["MEDIA"],
    actions: ["Distribution"],
    actionTypes: ["Selective distribution", "Automatic distribution", "Festivals"],
    management: "eacea",
    callYears: [2014, 2020],
    grant: [20000, 600000],
    partners: [0, 6],
    durationMonths: [12, 30],
    identifier: eaceaIdentifier("CREA", "MEDIA-DISTSEL"),
    platform: "creative-europe",
    hasTopics: false,
  },
  {
    key: "culture-2007-2013",
    weight: 2,
    programme: "Culture (2007-2013)",
    subProgrammes: [],
    actions: [
      "Cooperation measures",
      "Festivals",
      "Multi-annual Cooperation Projects",
      "Cooperation with Third Countries",
    ],
    actionTypes: [],
    management: "eacea",
    callYears: [2007, 2013],
    grant: [50000, 2500000],
    partners: [2, 12],
    durationMonths: [12, 60],
    identifier: ({ callYear, country, serial }) => ({
      id: `EACEA-${EACEA_BASE + serial}`,
      externalReference: `${EACEA_BASE + serial}-CU-1-${callYear}-1-${country}-CULTURE-VOL11`,
    }),
    platform: "creative-europe",
    hasTopics: false,
  },
  {
    key: "lifelong-learning",
    weight: 3,
    programme: "Life long learning (2007-2013)",
    subProgrammes: ["COMENIUS", "GRUNDTVIG", "LEONARDO DA VINCI", "ERASMUS", "KA2 Languages"],
    actions: ["Multilateral projects", "Networks", "Accompanying measures"],
    actionTypes: [],
    management: "eacea",
    callYears: [2007, 2013],
    grant: [40000, 600000],
    partners: [2, 12],
    durationMonths: [12, 36],
    identifier: ({ callYear, country, serial }, random) => ({
      id: `EACEA-${EACEA_BASE + serial}`,
      externalReference: `${EACEA_BASE + serial}-LLP-1-${callYear}-1-${country}-${random.pick(["COMENIUS-CMP", "GRUNDTVIG-GMP", "ERASMUS-EMHE", "KA2-KA2MP"])}`,
    }),
    platform: "erasmus-plus",
    hasTopics: false,
  },
  {
    key: "youth-in-action",
    weight: 3,
    programme: "Youth in action (2007-2013)",
    subProgrammes: [],
    actions: ["European Voluntary Service", "Youth Exchanges", "Youth Initiatives"],
    actionTypes: [],
    // National Agencies managed these projects, but their identifiers do not name the agency,
    // so the importer assigns them to EACEA and the sample does the same.
    management: "eacea",
    callYears: [2007, 2013],
    grant: [3000, 90000],
    partners: [0, 5],
    durationMonths: [2, 12],
    identifier: ({ callYear, country, serial }) => ({
      id: `${country}-${1 + (serial % 5)}-${pad(serial, 6)}-${callYear}-R${1 + (serial % 3)}`,
    }),
    platform: "erasmus-plus",
    hasTopics: false,
  },
  {
    key: "tempus",
    weight: 0.7,
    programme: "TEMPUS",
    subProgrammes: [],
    actions: ["Tempus Joint Project - Curricular Reform", "Tempus Structural Measures"],
    actionTypes: [],
    management: "eacea",
    callYears: [2008, 2013],
    grant: [500000, 1500000],
    partners: [4, 20],
    durationMonths: [24, 36],
    identifier: ({ callYear, country, serial }) => ({
      id: `EACEA-COMP-TEM-${140000 + serial}`,
      externalReference: `${140000 + serial}-TEMPUS-${callYear}-${country}-JPCR`,
    }),
    platform: "erasmus-plus",
    hasTopics: false,
  },
  {
    key: "erasmus-mundus",
    weight: 0.7,
    programme: "Erasmus Mundus",
    subProgrammes: [],
    actions: ["Joint Programmes: Master Course", "Joint Programmes: Doctorate", "Partnerships"],
    actionTypes: [],
    management: "eacea",
    callYears: [2009, 2013],
    grant: [300000, 4000000],
    partners: [2, 20],
    durationMonths: [36, 60],
    identifier: ({ callYear, serial }) => ({
      id: `EACEA-${EACEA_BASE + serial}`,
      externalReference: `${callYear}-${pad(serial % 10000, 4)}`,
    }),
    platform: "erasmus-plus",
    hasTopics: false,
  },
  // Calls of the 2021-2027 programme, so that the sample has running projects and projects
  // whose final report is still due. Calls up to 2026 end at the latest in 2029.
  {
    key: "ka220-sch",
    weight: 20,
    programme: "Erasmus+",
    subProgrammes: ["Partnerships for cooperation"],
    actions: [],
    actionTypes: ["Cooperation partnerships in school education"],
    management: "national",
    callYears: [2021, 2025],
    grant: [120000, 400000],
    partners: [2, 6],
    durationMonths: [12, 36],
    identifier: nationalIdentifier2021("KA220", "SCH"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
  {
    key: "ka122-sch",
    weight: 14,
    programme: "Erasmus+",
    subProgrammes: [KA1],
    actions: [],
    actionTypes: ["Short-term projects for mobility of learners and staff in school education"],
    management: "national",
    callYears: [2021, 2026],
    grant: [10000, 60000],
    partners: [0, 0],
    durationMonths: [6, 18],
    identifier: nationalIdentifier2021("KA122", "SCH"),
    platform: "erasmus-plus",
    hasTopics: true,
  },
];

/** Topics of the Erasmus+ 2014-2020 vocabulary (the export lists them `; `-separated). */
export const ERASMUS_TOPICS: readonly string[] = [
  "Teaching and learning of foreign languages",
  "Intercultural/intergenerational education and (lifelong)learning",
  "Key Competences (incl. mathematics and literacy) - basic skills",
  "ICT - new technologies - digital competences",
  "International cooperation, international relations, development cooperation",
  "EU Citizenship, EU awareness and Democracy",
  "Cooperation between educational institutions and business",
  "Social dialogue",
  "Economic and financial affairs (incl. funding issues)",
  "Inclusion - equity",
  "Early School Leaving / combating failure in education",
  "New innovative curricula/educational methods/development of training courses",
  "Entrepreneurial learning - entrepreneurship education",
  "Environment and climate change",
  "Youth (Participation, Youth Work, Youth Policy)",
  "Labour market issues incl. career guidance / youth unemployment",
  "Health and wellbeing",
  "Migrants' issues",
  "Creativity and culture",
  "Quality Improvement Institutions and/or methods (incl. school development)",
  "Disabilities - special needs",
  "Gender equality / equal opportunities",
  "Pedagogy and didactics",
  "Recognition (non-formal and informal learning/credits)",
  "Open and distance learning",
  "Physical education and sport",
  "Energy and resources",
  "Rural development and urbanisation",
  "Research and innovation",
  "Cultural heritage/European Year of Cultural Heritage",
];

/** Organisation types as the exports spell them. */
export const ORGANISATION_TYPES = {
  school: [
    "School/Institute/Educational centre – General education (primary level)",
    "School/Institute/Educational centre – General education (secondary level)",
    "School/Institute/Educational centre – Vocational Training (secondary level)",
    "School/Institute/Educational centre – Adult education",
  ],
  university: ["Higher education institution (tertiary level)", "Research Institute/Centre"],
  civil: [
    "Non-governmental organisation/association/social enterprise",
    "Foundation",
    "Youth council",
    "Non profit organisations",
    "Sport club",
  ],
  public: ["Local Public body", "Regional Public body", "National Public body"],
  business: [
    "Small and medium sized enterprise",
    "Large enterprise",
    "Chamber of Commerce/Industry/Crafts",
  ],
  culture: [
    "Art association",
    "Theatre",
    "Festival (non Audiovisual)",
    "Music Centre",
    "Multimedia association",
    "Cultural operators",
  ],
  other: ["Other", "Accreditation, certification or qualification body"],
} as const;

export type OrganisationKind = keyof typeof ORGANISATION_TYPES;
