/** Paths of the real exports used by the tests (kept outside the repository, read-only). */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Folder of the real platform exports, beside the repository clone. */
export const realDataDir = resolve(repositoryRoot, "../shared/data/real");

export const cultureCsv = join(
  realDataDir,
  "techforuk-my_eu/Culture_2007_2013_Projects_Overview_2018-08-01.converted.csv",
);
export const cultureXls = join(
  realDataDir,
  "techforuk-my_eu/Culture_2007_2013_Projects_Overview_2018-08-01.xls",
);
export const creativeEuropeCsv = join(
  realDataDir,
  "eubfr-data-lake/CreativeEurope_Projects_Overview_extract_19rows.converted.csv",
);

/** The 17 one-record stubs, one per export type, by file stem. */
export const stubNames = [
  "CoopIndustrialisedCountries_Projects_Overview",
  "CreativeEurope_Projects_Overview",
  "Culture_2007_2013_Projects_Overview",
  "ErasmusMundus_Projects_Overview",
  "ErasmusPlus_JeanMonnet_Projects_Overview",
  "ErasmusPlus_KA1_2014_LearningMobilityOfIndividuals_Projects_Overview",
  "ErasmusPlus_KA1_2015_LearningMobilityOfIndividuals_Projects_Overview",
  "ErasmusPlus_KA1_2016_LearningMobilityOfIndividuals_Projects_Overview",
  "ErasmusPlus_KA1_2017_LearningMobilityOfIndividuals_Projects_Overview",
  "ErasmusPlus_KA1_2018_LearningMobilityOfIndividuals_Projects_Overview",
  "ErasmusPlus_KA2_CooperationForInnovationAndTheExchangeOfGoodPractices_Projects_Overview",
  "ErasmusPlus_KA3_SupportForPolicyReform_Projects_Overview",
  "ErasmusPlus_Sports_Projects_Overview",
  "LifeLongLearning_Projects_Overview",
  "Sports_Projects_Overview",
  "Tempus_Projects_Overview",
  "YouthInAction_Projects_Overview",
] as const;

export type StubName = (typeof stubNames)[number];

export function stubCsv(name: StubName): string {
  return join(realDataDir, "eubfr-data-lake/stubs-as-csv", `${name}.csv`);
}
