/**
 * Organisation names for sample cards, written in the coordinator's language where this file
 * has words for it and in English otherwise. About one name in four is upper case, as in the
 * exports.
 */
import type { OrganisationKind } from "./programmes.ts";
import type { Random } from "./random.ts";

type NameTemplates = Record<OrganisationKind, readonly string[]>;

/** `{city}` is the organisation's city, `{n}` a small number, `{name}` a person's surname. */
const TEMPLATES: Record<string, NameTemplates> = {
  en: {
    school: ["{city} Primary School", "St {name}'s College", "{city} Academy"],
    university: ["University of {city}", "{city} Institute of Technology"],
    civil: ["{city} Youth Network", "Friends of {city} Trust", "{city} Community Foundation"],
    public: ["{city} City Council", "{city} County Council"],
    business: ["{name} Training Ltd", "{city} Learning Solutions Ltd"],
    culture: ["{city} Arts Centre", "{name} Theatre Company"],
    other: ["{city} Chamber of Commerce", "Centre for European Studies {city}"],
  },
  de: {
    school: ["Gymnasium {city}", "Grundschule am Park {city}", "Berufskolleg {city}"],
    university: ["Universität {city}", "Hochschule für Technik {city}"],
    civil: ["Volkshochschule {city} e.V.", "Jugendwerk {city} e.V.", "Stiftung Bildung {city}"],
    public: ["Stadt {city}", "Landkreis {city}"],
    business: ["{name} Bildungsakademie GmbH", "Handwerkskammer {city}"],
    culture: ["Literaturhaus {city} e.V.", "Kulturzentrum {city}"],
    other: ["Institut für Weiterbildung {city}", "Europäisches Zentrum {city}"],
  },
  fr: {
    school: ["Lycée professionnel {name}", "Collège {name}", "École élémentaire de {city}"],
    university: ["Université de {city}", "École supérieure d'art de {city}"],
    civil: ["Association Jeunesse et Territoires", "Ligue de l'enseignement de {city}"],
    public: ["Ville de {city}", "Conseil départemental de {city}"],
    business: ["{name} Formation SARL", "Chambre de métiers de {city}"],
    culture: ["Théâtre {name}", "Compagnie des Arts de {city}"],
    other: ["Centre d'études européennes de {city}", "GIP Formation {city}"],
  },
  it: {
    school: ["Istituto Comprensivo Statale {city} {n}", "Liceo Scientifico {name}"],
    university: ["Università degli Studi di {city}", "Politecnico di {city}"],
    civil: ["Associazione Culturale {name}", "Cooperativa Sociale {city} Solidale"],
    public: ["Comune di {city}", "Regione {city}"],
    business: ["{name} Formazione S.r.l.", "Camera di Commercio di {city}"],
    culture: ["Teatro Stabile di {city}", "Fondazione Musica {city}"],
    other: ["Centro Studi Europei {city}", "Ente di Formazione {name}"],
  },
  es: {
    school: ["IES {name}", "Colegio Público {name}", "CEIP {city} {n}"],
    university: ["Universidad de {city}", "Universidad Politécnica de {city}"],
    civil: ["Asociación Cultural {name}", "Fundación Juventud {city}"],
    public: ["Ayuntamiento de {city}", "Diputación Provincial de {city}"],
    business: ["{name} Formación S.L.", "Cámara de Comercio de {city}"],
    culture: ["Teatro Municipal de {city}", "Festival de Música de {city}"],
    other: ["Centro de Estudios Europeos de {city}", "Instituto de Formación {name}"],
  },
  pl: {
    school: ["Szkoła Podstawowa nr {n} w {city}", "Zespół Szkół Zawodowych nr {n}"],
    university: ["Uniwersytet w {city}", "Politechnika {city}"],
    civil: ["Stowarzyszenie Młodzi dla {city}", "Fundacja Rozwoju Edukacji {name}"],
    public: ["Gmina {city}", "Urząd Miasta {city}"],
    business: ["{name} Szkolenia Sp. z o.o.", "Izba Rzemieślnicza w {city}"],
    culture: ["Teatr Miejski w {city}", "Centrum Kultury {city}"],
    other: ["Instytut Badań Edukacyjnych {city}", "Centrum Kształcenia {name}"],
  },
  pt: {
    school: ["Agrupamento de Escolas de {city}", "Escola Secundária {name}"],
    university: ["Universidade de {city}", "Instituto Politécnico de {city}"],
    civil: ["Associação Juvenil de {city}", "Fundação {name}"],
    public: ["Câmara Municipal de {city}", "Junta de Freguesia de {city}"],
    business: ["{name} Formação Lda", "Associação Empresarial de {city}"],
    culture: ["Teatro Municipal de {city}", "Centro Cultural de {city}"],
    other: ["Centro de Estudos Europeus de {city}", "Escola Profissional {name}"],
  },
};

const SURNAMES: Record<string, readonly string[]> = {
  en: ["Patrick", "Brennan", "Whitfield", "Ashworth", "O'Neill"],
  de: ["Lessing", "Humboldt", "Möller", "Schäfer", "Brückner"],
  fr: ["Jean Moulin", "Victor Hugo", "Marie Curie", "Condorcet", "Lefèvre"],
  it: ["Galilei", "Montessori", "De Sanctis", "Fermi", "Pirandello"],
  es: ["Severo Ochoa", "Miguel Hernández", "Peñalara", "Castelao", "Núñez"],
  pl: ["Kopernik", "Skłodowska", "Żeromski", "Wróbel", "Kościuszko"],
  pt: ["Camões", "Garrett", "Eça de Queirós", "Pessoa", "Gonçalves"],
};

/** Builds an organisation name of `kind` for an organisation in `city`. */
export function organisationName(
  random: Random,
  kind: OrganisationKind,
  language: string,
  city: string,
): string {
  const templates = TEMPLATES[language] ?? (TEMPLATES.en as NameTemplates);
  const surnames = SURNAMES[language] ?? (SURNAMES.en as readonly string[]);
  const name = random
    .pick(templates[kind])
    .replace("{city}", city)
    .replace("{name}", random.pick(surnames))
    .replace("{n}", String(random.int(1, 42)));
  return random.chance(0.25) ? name.toLocaleUpperCase("en") : name;
}

/** Builds a web host name for an organisation from its name (`www.gymnasium-koeln.de`). */
export function organisationHost(random: Random, name: string, tld: string): string {
  const words = name
    .replace(/[łŁ]/g, "l")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, " ")
    .split(" ")
    .filter((word) => word.length > 2)
    .slice(0, 3);
  const separator = random.chance(0.5) ? "-" : "";
  const label = words.length > 0 ? words.join(separator) : "org";
  return `www.${label}.${tld}`;
}
