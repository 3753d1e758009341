/**
 * Sample generation: writes N sample cards with `writeSampleCards` (worker threads from 5,000
 * cards on). The reference generates and serialises the same cards on one thread without
 * writing them, so the ratio shows what file writing and threads change.
 */
import { join } from "node:path";
import { serializeCard } from "../../pipeline/card/index.ts";
import { generateCards } from "../../pipeline/sample/generate.ts";
import { writeSampleCards } from "../../pipeline/sample/write.ts";
import { perSecond, timed } from "../measure.ts";
import type { BenchCase } from "../types.ts";

/** Cards serialised for the reference; enough for a stable rate without doubling the run time. */
const REFERENCE_LIMIT = 20_000;
const WARM_UP_CARDS = 300;

const sample: BenchCase = {
  name: "sample",
  description: "write N sample cards to a content folder",
  async run({ size, workDir, log }) {
    // Warm up the compiler on a few cards so that neither measurement pays for it alone.
    for (const card of generateCards(WARM_UP_CARDS, "warm-up")) serializeCard(card);
    const referenceCount = Math.min(size, REFERENCE_LIMIT);
    const reference = await timed(() => {
      for (const card of generateCards(referenceCount, "bench")) serializeCard(card);
    });
    log(`serialised ${referenceCount} cards in ${reference.seconds.toFixed(1)} s`);

    const written = await timed(() => writeSampleCards(join(workDir, "content"), size, "bench"));
    log(`wrote ${written.result} cards in ${written.seconds.toFixed(1)} s`);
    return [
      {
        name: "sample: cards written",
        size,
        value: perSecond(size, written.seconds),
        unit: "cards/s",
        reference: perSecond(referenceCount, reference.seconds),
        referenceLabel: "generate and serialise, 1 thread, no disk",
      },
      {
        name: "sample: total time",
        size,
        value: Math.round(written.seconds * 10) / 10,
        unit: "s",
      },
    ];
  },
};

export default sample;
