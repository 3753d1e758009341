/**
 * Titles and summaries for sample cards, in several languages. Summaries have two to five
 * paragraphs, and some carry a bullet list, as beneficiaries write them. Slots in braces are
 * filled from the card: `{org}`, `{city}`, `{country}`, `{subject}`, `{target}`, `{n}`, `{months}`.
 */
import type { Random } from "./random.ts";

type Phrases = {
  subjects: readonly string[];
  targets: readonly string[];
  titles: readonly string[];
  openings: readonly string[];
  aims: readonly string[];
  activities: readonly string[];
  listLeads: readonly string[];
  listItems: readonly string[];
  outcomes: readonly string[];
};

const PHRASES: Record<string, Phrases> = {
  en: {
    subjects: [
      "digital skills",
      "inclusive classrooms",
      "green transition",
      "language learning",
      "entrepreneurship",
      "media literacy",
      "outdoor education",
      "cultural heritage",
    ],
    targets: ["teachers", "young people", "adult learners", "trainers", "students", "coaches"],
    titles: [
      "{Subject} for {target}",
      "Building bridges through {subject}",
      "Open doors: {subject} in European schools",
      "{Acronym} - {Subject} across borders",
      "Learning together for {subject}",
    ],
    openings: [
      "{org} is based in {city} and works with {target} from the whole region.",
      "Our organisation has taken part in European projects for several years.",
      "The idea for this project grew out of a survey among our {target} in {city}.",
    ],
    aims: [
      "The project aims to strengthen {subject} among {target} and to share what works.",
      "Its main objective is to give {target} practical tools for {subject}.",
      "Partners want to test new ways of teaching {subject} and compare results.",
    ],
    activities: [
      "Over {months} months, {n} participants will take part in job shadowing and short courses.",
      "The partners will meet {n} times, each meeting hosted by a different country.",
      "Activities include workshops, a summer school and an online platform for exchange.",
    ],
    listLeads: ["Main activities:", "Expected results:", "The project will deliver:"],
    listItems: [
      "a toolkit for {target}",
      "training courses on {subject}",
      "a handbook in five languages",
      "an open online course",
      "local dissemination events",
      "a network of partner schools",
    ],
    outcomes: [
      "Results will be published under an open licence so that other organisations can reuse them.",
      "We expect better motivation among {target} and stronger links between the partners.",
      "The experience will be built into the curriculum of {org} after the project ends.",
    ],
  },
  fr: {
    subjects: ["compétences numériques", "inclusion sociale", "patrimoine culturel", "citoyenneté"],
    targets: ["enseignants", "jeunes", "apprenants adultes", "formateurs", "élèves"],
    titles: [
      "{Subject} pour les {target}",
      "Ensemble pour la {subject}",
      "{Acronym} : {subject} en Europe",
    ],
    openings: [
      "{org}, situé à {city}, accueille chaque année des {target} de toute la région.",
      "Notre établissement participe depuis plusieurs années à des projets européens.",
    ],
    aims: [
      "Le projet vise à renforcer les {subject} des {target} et à échanger de bonnes pratiques.",
      "L'objectif principal est d'offrir aux {target} des outils concrets pour la {subject}.",
    ],
    activities: [
      "Pendant {months} mois, {n} participants suivront des stages et des formations courtes.",
      "Les partenaires se réuniront {n} fois, à tour de rôle dans chaque pays.",
    ],
    listLeads: ["Activités principales :", "Résultats attendus :"],
    listItems: [
      "un guide pédagogique pour les {target}",
      "des ateliers sur les {subject}",
      "une plateforme d'échange en ligne",
      "des journées de diffusion locales",
    ],
    outcomes: [
      "Les résultats seront diffusés sous licence ouverte afin d'être réutilisés.",
      "Nous attendons une meilleure motivation des {target} et des liens durables entre partenaires.",
    ],
  },
  de: {
    subjects: [
      "digitale Kompetenzen",
      "inklusiver Unterricht",
      "Nachhaltigkeit",
      "Mehrsprachigkeit",
    ],
    targets: ["Lehrkräfte", "Jugendliche", "Erwachsene", "Ausbilderinnen und Ausbilder"],
    titles: [
      "{Subject} für {target}",
      "Gemeinsam lernen: {subject} in Europa",
      "{Acronym} – {subject} grenzüberschreitend",
    ],
    openings: [
      "{org} in {city} arbeitet seit vielen Jahren mit {target} aus der Region.",
      "Unsere Einrichtung beteiligt sich zum ersten Mal an einem europäischen Projekt.",
    ],
    aims: [
      "Ziel des Projekts ist es, {subject} bei {target} zu stärken und Erfahrungen auszutauschen.",
      "Die Partner wollen neue Methoden für {subject} erproben und vergleichen.",
    ],
    activities: [
      "In {months} Monaten nehmen {n} Personen an Hospitationen und Fortbildungen teil.",
      "Die Partner treffen sich {n} Mal, jedes Treffen in einem anderen Land.",
    ],
    listLeads: ["Geplante Aktivitäten:", "Erwartete Ergebnisse:"],
    listItems: [
      "ein Handbuch für {target}",
      "Workshops zu {subject}",
      "eine gemeinsame Lernplattform",
      "regionale Fachtage",
    ],
    outcomes: [
      "Alle Ergebnisse werden unter einer offenen Lizenz veröffentlicht.",
      "Wir erwarten eine höhere Motivation der {target} und dauerhafte Partnerschaften.",
    ],
  },
  it: {
    subjects: [
      "competenze digitali",
      "inclusione scolastica",
      "sostenibilità",
      "patrimonio culturale",
    ],
    targets: ["docenti", "giovani", "studenti", "formatori"],
    titles: [
      "{Subject} per i {target}",
      "Insieme per la {subject}",
      "{Acronym} - {subject} in rete",
    ],
    openings: [
      "{org} ha sede a {city} e lavora con {target} di tutto il territorio.",
      "La nostra scuola partecipa da anni a progetti europei di mobilità.",
    ],
    aims: [
      "Il progetto intende rafforzare le {subject} dei {target} e diffondere buone pratiche.",
      "L'obiettivo principale è offrire ai {target} strumenti concreti per la {subject}.",
    ],
    activities: [
      "Nei {months} mesi del progetto, {n} partecipanti seguiranno corsi e periodi di osservazione.",
      "I partner si incontreranno {n} volte, ogni volta in un paese diverso.",
    ],
    listLeads: ["Attività principali:", "Risultati attesi:"],
    listItems: [
      "una guida per i {target}",
      "laboratori sulla {subject}",
      "una piattaforma online condivisa",
      "eventi di diffusione locali",
    ],
    outcomes: [
      "I risultati saranno pubblicati con licenza aperta.",
      "Ci aspettiamo una maggiore motivazione dei {target} e legami duraturi tra i partner.",
    ],
  },
  es: {
    subjects: ["competencias digitales", "inclusión educativa", "sostenibilidad", "emprendimiento"],
    targets: ["docentes", "jóvenes", "alumnos", "formadores"],
    titles: [
      "{Subject} para {target}",
      "Aprender juntos: {subject}",
      "{Acronym} - {subject} en Europa",
    ],
    openings: [
      "{org}, situado en {city}, trabaja con {target} de toda la comarca.",
      "Nuestro centro participa en proyectos europeos desde hace varios años.",
    ],
    aims: [
      "El proyecto pretende reforzar las {subject} de los {target} e intercambiar buenas prácticas.",
      "Su objetivo principal es ofrecer a los {target} herramientas prácticas de {subject}.",
    ],
    activities: [
      "Durante {months} meses, {n} participantes realizarán cursos y estancias de observación.",
      "Los socios se reunirán {n} veces, cada vez en un país distinto.",
    ],
    listLeads: ["Actividades principales:", "Resultados esperados:"],
    listItems: [
      "una guía didáctica para {target}",
      "talleres sobre {subject}",
      "una plataforma de intercambio en línea",
      "jornadas de difusión",
    ],
    outcomes: [
      "Los resultados se publicarán con licencia abierta para que otros puedan reutilizarlos.",
      "Esperamos una mayor motivación de los {target} y vínculos duraderos entre socios.",
    ],
  },
  pl: {
    subjects: [
      "kompetencje cyfrowe",
      "edukacja włączająca",
      "zrównoważony rozwój",
      "przedsiębiorczość",
    ],
    targets: ["nauczycieli", "młodzieży", "uczniów", "trenerów"],
    titles: ["{Subject} dla {target}", "Razem w Europie: {subject}", "{Acronym} – {subject}"],
    openings: [
      "{org} z siedzibą w {city} od lat współpracuje z partnerami zagranicznymi.",
      "Nasza szkoła po raz pierwszy bierze udział w projekcie europejskim.",
    ],
    aims: [
      "Celem projektu jest rozwój kompetencji {target} w obszarze: {subject}.",
      "Partnerzy chcą wypróbować nowe metody pracy i porównać ich efekty.",
    ],
    activities: [
      "W ciągu {months} miesięcy {n} uczestników weźmie udział w kursach i obserwacjach.",
      "Partnerzy spotkają się {n} razy, za każdym razem w innym kraju.",
    ],
    listLeads: ["Główne działania:", "Oczekiwane rezultaty:"],
    listItems: [
      "poradnik dla {target}",
      "warsztaty: {subject}",
      "wspólna platforma internetowa",
      "lokalne wydarzenia upowszechniające",
    ],
    outcomes: [
      "Rezultaty zostaną udostępnione na otwartej licencji.",
      "Oczekujemy większej motywacji {target} i trwałej współpracy partnerów.",
    ],
  },
  pt: {
    subjects: ["competências digitais", "inclusão", "sustentabilidade", "património cultural"],
    targets: ["professores", "jovens", "alunos", "formadores"],
    titles: ["{Subject} para {target}", "Aprender juntos: {subject}", "{Acronym} - {subject}"],
    openings: [
      "{org}, em {city}, trabalha com {target} de toda a região.",
      "A nossa escola participa em projetos europeus há vários anos.",
    ],
    aims: [
      "O projeto pretende reforçar as {subject} dos {target} e partilhar boas práticas.",
      "O principal objetivo é dar aos {target} ferramentas práticas de {subject}.",
    ],
    activities: [
      "Durante {months} meses, {n} participantes frequentarão cursos e estágios de observação.",
      "Os parceiros reunir-se-ão {n} vezes, cada vez num país diferente.",
    ],
    listLeads: ["Atividades principais:", "Resultados esperados:"],
    listItems: [
      "um guia para {target}",
      "oficinas sobre {subject}",
      "uma plataforma online comum",
      "eventos locais de divulgação",
    ],
    outcomes: [
      "Os resultados serão publicados com licença aberta.",
      "Esperamos maior motivação dos {target} e laços duradouros entre parceiros.",
    ],
  },
};

/** Languages this file writes summaries in. */
export const SUMMARY_LANGUAGES: readonly string[] = Object.keys(PHRASES);

export type TextContext = {
  org: string;
  city: string;
  months: number;
};

const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

function acronym(random: Random): string {
  const letters = "ABCDEFGHIJKLMNOPRSTUVWZ";
  let word = "";
  const length = random.int(3, 7);
  for (let i = 0; i < length; i++) word += letters.charAt(random.int(0, letters.length - 1));
  return word;
}

/** Writes a title and a summary in `language` (English when the language has no phrases). */
export function writeText(
  random: Random,
  language: string,
  context: TextContext,
): { title: string; summary: string } {
  const phrases = PHRASES[language] ?? (PHRASES.en as Phrases);
  const subject = random.pick(phrases.subjects);
  const target = random.pick(phrases.targets);
  const fill = (template: string) =>
    template
      .replace("{Subject}", capitalise(subject))
      .replace("{subject}", subject)
      .replace("{target}", target)
      .replace("{Acronym}", acronym(random))
      .replace("{org}", context.org)
      .replace("{city}", context.city)
      .replace("{months}", String(context.months))
      .replace("{n}", String(random.int(2, 60)));

  let title = fill(random.pick(phrases.titles));
  if (random.chance(0.12)) title = title.toLocaleUpperCase();

  const opening = `${fill(random.pick(phrases.openings))} ${fill(random.pick(phrases.aims))}`;
  // A set, so that a sentence drawn twice appears once.
  const paragraphs = new Set([opening]);
  const extra = random.int(0, 3);
  for (let i = 0; i < extra; i++) {
    paragraphs.add(fill(random.pick(i % 2 === 0 ? phrases.activities : phrases.aims)));
  }
  if (random.chance(0.35)) {
    const bullet = random.chance(0.7) ? "-" : "•";
    const items = new Set<string>();
    const count = random.int(2, 5);
    for (let i = 0; i < count; i++) items.add(fill(random.pick(phrases.listItems)));
    const lines = [...items].map((item) => `${bullet} ${item}`);
    paragraphs.add(`${random.pick(phrases.listLeads)}\n${lines.join("\n")}`);
  }
  paragraphs.add(fill(random.pick(phrases.outcomes)));
  return { title, summary: [...paragraphs].join("\n\n") };
}
